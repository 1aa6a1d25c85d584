# `self.mappings = None` before `self.mappings = [Mapping(self)]` is initialisation, not a reset: still a cycle.
class Mapping:
    def __init__(self, selector):
        self.selector = selector


class Selector:
    def __init__(self):
        self.mappings = None
        self.mappings = [Mapping(self)]
