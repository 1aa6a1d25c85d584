# strong-backref: every `Node` points back at its parent, so trees are freed only by the cycle collector.
class Node:
    def __init__(self, parent=None):
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)
