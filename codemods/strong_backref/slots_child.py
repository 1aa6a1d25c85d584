# The child's slot `parent` becomes `_parent_ref` (a slot and a property cannot share a name).
class Leaf:
    __slots__ = ("parent", "value")

    def __init__(self, parent, value):
        self.parent = parent
        self.value = value


class Branch:
    def __init__(self):
        self.leaves = []

    def grow(self, value):
        self.leaves.append(Leaf(self, value))
