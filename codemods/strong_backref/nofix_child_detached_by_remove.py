# `remove()` takes the node out of its parent's children before it lets go of the parent: that detaches one node from
# a tree that lives on, not the end of the tree's use, so the cycle is still reported (a class attribute blocks a fix).
class Base:
    parent = None

    def remove(self):
        if self.parent:
            self.parent.children.remove(self)
            self.parent = None


class Leaf(Base):
    def __init__(self, value):
        self.value = value


class Node(Base):
    def __init__(self, children):
        self.children = []
        for ch in children:
            ch.parent = self
            self.children.append(ch)
