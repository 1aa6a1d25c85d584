# A removed class-level declaration keeps its trailing comment, on a line of its own
from __future__ import annotations

import weakref


class Node:
    """A tree node."""

    parent: Node | None  # the node that holds this one in `children`

    def __init__(self, parent=None):
        self.parent = parent
        self.children = []

    def add(self):
        child = Node(self)
        self.children.append(child)
        return child
