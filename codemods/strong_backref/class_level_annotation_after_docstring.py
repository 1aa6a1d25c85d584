# A class-level declaration after the docstring goes with one of the blank lines around it, not leaving two
from __future__ import annotations

import weakref


class Node:
    """A tree node."""

    parent: Node | None

    def __init__(self, parent=None):
        self.parent = parent
        self.children = []

    def add(self):
        child = Node(self)
        self.children.append(child)
        return child
