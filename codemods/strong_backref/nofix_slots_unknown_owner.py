# The child joins a `parent.children` that two classes have, one slotted without `__weakref__`: pyfix cannot tell which
# the owner is, nor make it weakly referenceable, so no fix.
class Tree:
    __slots__ = ("children",)

    def __init__(self):
        self.children = []


class Group:
    def __init__(self):
        self.children = []


class Leaf:
    def __init__(self, parent):
        self.parent = parent
        parent.children.append(self)
