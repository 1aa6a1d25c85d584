# The module pickles its objects: a tree's weak `parent` could not be pickled, so no fix.
import pickle


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []

    def add(self, name):
        child = Node(name, self)
        self.children.append(child)
        return child


def save(tree, path):
    with open(path, "wb") as f:
        pickle.dump(tree, f)
