# Pins where a new import lands: `import weakref` goes at its isort place in the leading standard-library block.
import abc
import zlib
from typing import List

import attr


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children: List["Node"] = []

    def add(self, name):
        self.children.append(Node(name, self))
        return self.children[-1]

    def check(self):
        return attr, abc, zlib
