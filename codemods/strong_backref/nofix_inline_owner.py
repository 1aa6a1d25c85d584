# `Child(Parent())`: the new parent is kept only by the child, a weak reference would drop it at once.
class Child:
    def __init__(self, parent):
        self.parent = parent


class Parent:
    def __init__(self):
        self.children = [Child(self)]


orphan = Child(Parent())
