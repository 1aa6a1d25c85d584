# A slotted `Generic` subclass: `Generic` adds no `__weakref__`, so pyfix adds it next to the renamed slot.
import typing as t

V = t.TypeVar("V")


class Bucket(t.Generic[V]):
    __slots__ = ("prev", "value", "next")

    def __init__(self, chain, value):
        self.prev = chain.last
        self.value = value
        self.next = None
        if chain.last is not None:
            chain.last.next = self
        chain.last = self
