# a default handed to a function pyfix cannot see may be grown there: the fix is unsafe
from helpers import collect_into


def gather(paths, found=[]):
    for p in paths:
        collect_into(found, p)
    return len(found)
