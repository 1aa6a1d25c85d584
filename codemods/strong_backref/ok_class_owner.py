# A back-reference to a class (`cls`): classes are in cycles of their own and are never freed by reference counting.
class Options:
    def __init__(self):
        self.model = None

    def contribute_to_class(self, cls, name):
        cls._meta = self
        self.model = cls


class Meta(type):
    def __init__(cls, name, bases, ns):
        super().__init__(name, bases, ns)
        cls.registry = cls
