# The owner has `__slots__` without `__weakref__`: pyfix adds it, so the owner can be weakly referenced.
class Handle:
    def __init__(self, pool):
        self.pool = pool


class Pool:
    __slots__ = ['handles']

    def __init__(self):
        self.handles = []

    def acquire(self):
        h = Handle(self)
        self.handles.append(h)
        return h
