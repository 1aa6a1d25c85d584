# What pyfix writes: a property over a weak reference. A second run leaves it alone.
import weakref


class Child:
    def __init__(self, parent):
        self.parent = parent

    @property
    def parent(self):
        ref = self._parent_ref
        return None if ref is None else ref()

    @parent.setter
    def parent(self, value):
        self._parent_ref = None if value is None else weakref.ref(value)


class Parent:
    def __init__(self):
        self.children = [Child(self)]
