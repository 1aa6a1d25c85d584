# `out.extendleft(seen)` copies the elements of `seen` and keeps nothing of the default: only read
import collections


def collect(items, seen=[]):
    out = collections.deque()
    out.extendleft(seen)
    for item in items:
        out.append(item)
    return list(out)
