# A dispatch attribute handed to `sys.setprofile` on an object that also keeps the frames it is given
# (`self.cur = (event, frame, self.cur)`): the cycle pins the profiled code's frames, so it is reported; a weak
# `dispatcher` would free nothing, so no fix.
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

    def run(self, func):
        sys.setprofile(self.dispatcher)
        try:
            return func()
        finally:
            sys.setprofile(None)
