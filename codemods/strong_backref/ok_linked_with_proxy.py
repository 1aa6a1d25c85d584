# A doubly linked list whose back links are already weak proxies, passed in as a default (the pure-Python
# `OrderedDict`): untouched.
from _weakref import proxy as _proxy


class _Link:
    __slots__ = "prev", "next", "key", "__weakref__"


class Ordered:
    def __init__(self):
        self.__root = root = _Link()
        root.prev = root.next = root

    def add(self, key, proxy=_proxy, Link=_Link):
        root = self.__root
        link = Link()
        last = root.prev
        link.prev, link.next, link.key = last, root, key
        last.next = link
        root.prev = proxy(link)
