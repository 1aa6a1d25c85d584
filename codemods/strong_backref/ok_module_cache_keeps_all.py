# The module keeps every tree it builds in a module-level cache it never empties (`_modules[name] = tree`): the
# objects live as long as the program, so the cycle leaks nothing: no finding.
_modules = {}


class Object:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = {}
        if parent is not None:
            parent.children[name] = self


def read(name):
    if name in _modules:
        return _modules[name]
    tree = {}
    _modules[name] = tree
    tree[name] = Object(name)
    return tree
