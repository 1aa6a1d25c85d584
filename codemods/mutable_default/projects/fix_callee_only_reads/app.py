# `seen` grows, and `show.dump` (pkg/show.py) only reads it: the guard changes nothing there, so it is fixed
from pkg import show


def collect(x, seen=[]):
    seen.append(x)
    show.dump(seen)
    return x
