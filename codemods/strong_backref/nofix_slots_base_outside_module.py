# The owner has `__slots__` without `__weakref__` and a base from elsewhere: pyfix cannot tell if it is weakly referable.
from collections.abc import Sized


class Entry:
    def __init__(self, book):
        self.book = book


class Book(Sized):
    __slots__ = ("entries",)

    def __init__(self):
        self.entries = [Entry(self)]

    def __len__(self):
        return len(self.entries)
