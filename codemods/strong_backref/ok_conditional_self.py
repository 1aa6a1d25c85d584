# `self.root = other if other is not None else self`: weakening would drop the external object; untouched.
class Scope:
    def __init__(self, root=None):
        self.root = root if root is not None else self
        self.names = {}
