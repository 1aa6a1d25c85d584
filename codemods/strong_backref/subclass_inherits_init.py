# `Leaf(self)` runs the `__init__` `Leaf` inherits from `Node`, which stores `parent`: the property goes on `Node`.
class Node:
    def __init__(self, parent):
        self.parent = parent


class Leaf(Node):
    def label(self):
        return "leaf"


class Tree:
    def __init__(self):
        self.leaves = [Leaf(self)]
