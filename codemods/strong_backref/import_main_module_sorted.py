# `import __main__` sorts with the standard library, so `import weakref` goes after `import inspect`, in that block.
import __main__
import inspect

from idlelib import calltip_w


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []

    def add(self, name):
        child = Node(name, self)
        self.children.append(child)
        return child
