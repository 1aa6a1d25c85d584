# The child registers itself through a method of its parent (`parent._addchild(name, self)`), which keeps it in a
# dict: the parent owns the child, and `parent` becomes weak.
class Object:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = {}
        if parent is not None:
            parent._addchild(name, self)

    def _addchild(self, name, obj):
        self.children[name] = obj
