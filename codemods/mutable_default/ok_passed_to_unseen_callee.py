# a default handed to a function pyfix cannot see, and otherwise only read: nothing shows a leak, no finding
from helpers import collect_into


def gather(paths, found=[]):
    for p in paths:
        collect_into(found, p)
    return len(found)
