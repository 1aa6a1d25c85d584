# pyfix-fixture: target-version=3.8
# The attribute has no annotation but the parameter it stores has: the getter returns `Optional[...]` of it and the
# setter takes it, so a typed module stays typed.
from typing import List


class Node:
    def __init__(self, name: str, parent: "Tree") -> None:
        self.name = name
        self.parent = parent


class Tree:
    def __init__(self) -> None:
        self.nodes: List[Node] = []

    def add(self, name: str) -> Node:
        node = Node(name, self)
        self.nodes.append(node)
        return node
