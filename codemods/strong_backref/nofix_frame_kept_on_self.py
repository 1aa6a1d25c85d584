# The profiler keeps the frames its trace callback is given (`self.cur = (t, fn, frame, self.cur)`), and a frame of
# its own method holds `self`: it stays in a cycle, so a weak `dispatcher` would free nothing. Reported, no fix.
import sys


class Profile:
    def __init__(self, fast):
        self.cur = None
        if fast:
            self.dispatcher = self.dispatch_fast
        else:
            self.dispatcher = self.dispatch_slow

    def dispatch_fast(self, frame, event, arg):
        self.cur = (event, frame, self.cur)

    def dispatch_slow(self, frame, event, arg):
        self.cur = (event, frame, self.cur)

    def close(self):
        sys.setprofile(None)

    def run(self):
        sys.setprofile(self.dispatcher)
