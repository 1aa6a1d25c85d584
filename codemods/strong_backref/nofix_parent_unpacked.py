# A call site passes the parent by unpacking: pyfix cannot see what it is, so it does not hold it weakly.
class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []

    def add(self, name):
        self.children.append(Node(name, self))
        return self.children[-1]


def build(*args):
    return Node(*args)
