# The child keeps a `functools.partial` of the owner: the cycle would remain, so no fix.
import functools


class Timer:
    def __init__(self, clock):
        self.clock = clock
        self.tick = functools.partial(clock.advance, 1)


class Clock:
    def __init__(self):
        self.timers = [Timer(self)]

    def advance(self, n):
        pass
