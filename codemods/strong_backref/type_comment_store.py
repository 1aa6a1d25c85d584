# The attribute's type is a `# type:` comment: the property gets function type comments in the same style, and the
# comment stays on the store, which mypy reads as the setter's type.
from typing import List


class Node:
    def __init__(self, name, tree):
        self.name = name
        self.tree = tree  # type: Tree


class Tree:
    def __init__(self):
        self.nodes = []  # type: List[Node]

    def add(self, name):
        self.nodes.append(Node(name, self))
