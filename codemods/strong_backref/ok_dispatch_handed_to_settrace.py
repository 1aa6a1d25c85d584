# A dispatch attribute handed to whoever calls it (`sys.settrace(self.globaltrace)`) on a small object that owns
# nothing to release: as when it is called through the attribute, the cycle only delays freeing memory. No finding.
import sys


class Trace:
    def __init__(self, count_callers):
        self.counts = {}
        if count_callers:
            self.globaltrace = self.globaltrace_callers
        else:
            self.globaltrace = self.globaltrace_lines

    def globaltrace_callers(self, frame, why, arg):
        self.counts[why] = self.counts.get(why, 0) + 1

    def globaltrace_lines(self, frame, why, arg):
        return None

    def runfunc(self, func):
        sys.settrace(self.globaltrace)
        try:
            return func()
        finally:
            sys.settrace(None)
