# `self.mapping = None` before `self.mapping = Mapping(self)` is initialisation, not a reset: still a cycle.
class Mapping:
    def __init__(self, selector):
        self.selector = selector


class Selector:
    def __init__(self):
        self.mapping = None
        self.mapping = Mapping(self)
