# `parent=""` as the default: a string cannot be weakly referenced, so `parent` stays strong.
class Node:
    def __init__(self, name, parent=""):
        self.name = name
        self.parent = parent
        self.children = []

    def add(self, name):
        self.children.append(Node(name, self))
