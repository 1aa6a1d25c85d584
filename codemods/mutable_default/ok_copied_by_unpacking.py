# `{**attrib, **extra}` builds a new dict: the default is only read, and `Element(tag, None)` must still raise
class Element:
    def __init__(self, tag, attrib={}, **extra):
        if not isinstance(attrib, dict):
            raise TypeError(f"attrib must be dict, not {attrib.__class__.__name__}")
        self.tag = tag
        self.attrib = {**attrib, **extra}
        self.children = [*attrib]
