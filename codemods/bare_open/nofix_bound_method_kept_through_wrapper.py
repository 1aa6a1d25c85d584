# a bound method of the file carried on by a lazy `map`, `getattr` into a name, a comprehension's element, an
# attribute of the method, a call that may keep it or `operator.attrgetter`: kept past the block, no fix
import operator


def saver(p, xs):
    f = open(p, "w")
    return map(f.write, xs)


def reader(p):
    f = open(p)
    r = getattr(f, "read", None)
    return r


def readers(p):
    f = open(p)
    return [f.read for _ in range(1)]


def opened(p, Holder):
    f = open(p)
    return Holder(f.read.__call__)


def getter(p):
    f = open(p)
    r = operator.attrgetter("read")(f)
    return r
