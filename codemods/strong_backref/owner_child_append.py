# The owner creates children with itself as their parent and keeps them: `parent` becomes weak.
class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []

    def add(self, name):
        self.children.append(Node(name, self))
        return self.children[-1]

    def path(self):
        if self.parent is None:
            return self.name
        return self.parent.path() + "/" + self.name
