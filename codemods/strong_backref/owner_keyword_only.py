# The parent is a keyword-only parameter, passed by keyword: `parent` becomes weak like a positional one.
class Node:
    def __init__(self, name, *, parent=None):
        self.name = name
        self.parent = parent
        self.children = []

    def add(self, name):
        self.children.append(Node(name, parent=self))
        return self.children[-1]
