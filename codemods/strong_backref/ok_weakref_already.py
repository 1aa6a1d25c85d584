# The back-reference is already a `weakref.ref` / `weakref.proxy`: untouched.
import weakref


class Child:
    def __init__(self, parent):
        self._parent = weakref.ref(parent)
        self.root = weakref.proxy(parent)


class Parent:
    def __init__(self):
        self.children = [Child(self)]
