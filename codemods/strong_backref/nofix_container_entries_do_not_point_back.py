# The owner's `_children` also gets entries made without the owner (`Leaf(name)`): nothing else in the container
# points back, so the `_Placeholder`'s link is the cycle, and it is reported (owner's class unknown: no fix).
class Tree:
    def __init__(self):
        self._children = {}

    def __getattr__(self, name):
        result = self._children.get(name)
        if result is None:
            result = Leaf(name)
            self._children[name] = result
        return result


class Leaf:
    def __init__(self, name):
        self.name = name


def build(names):
    tree = Tree()
    for name in names:
        tree._children[name] = _Placeholder(name, tree)
    return tree


class _Placeholder:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
