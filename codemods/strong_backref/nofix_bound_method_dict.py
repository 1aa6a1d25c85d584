# `self.dispatch` holds bound methods of the profiler in a dict: it stays in a cycle, so a weak `dispatcher` would
# free nothing.
class Profile:
    def __init__(self, timer=None):
        self.timer = timer
        self.dispatcher = self.trace_dispatch
        self.dispatch = {
            "call": self.trace_dispatch_call,
            "return": self.trace_dispatch_return,
        }

    def trace_dispatch(self, frame, event, arg):
        return self.dispatch[event](frame)

    def trace_dispatch_call(self, frame):
        return 1

    def trace_dispatch_return(self, frame):
        return 0
