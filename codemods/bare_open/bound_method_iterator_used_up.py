# an iterator that calls a method of the file used up where it stands (`"".join(...)`, `itertools.islice`), and a
# method given as `sorted`'s key: fixed
import itertools


def text(p):
    f = open(p)
    return "".join(iter(f.readline, ""))


def head(p):
    f = open(p)
    return list(itertools.islice(iter(f.readline, ""), 1))


def order(p, xs):
    f = open(p)
    key = f.tell
    return sorted(xs, key=key)
