# the child's back-reference to its tree: fixed, since no module pickles a tree or a node
class Node:
    def __init__(self, name, parent):
        self.name = name
        self.parent = parent


class Tree:
    def __init__(self):
        self.nodes = []

    def add(self, name):
        node = Node(name, self)
        self.nodes.append(node)
        return node
