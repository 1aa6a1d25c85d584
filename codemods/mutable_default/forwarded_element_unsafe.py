# a grown default whose element (not the object) reaches a callee pyfix cannot see: fixed, unsafe
from helpers import show


def collect(item, found=[[]]):
    found.append(item)
    show(found[0])
    return found
