# a bound method kept in a container bound to a name (what is read from it is the method, not data), in a class
# built by `type(name, bases, ns)`, or mapped over when its results read from the object: no fix
import tarfile


def reader(p):
    f = open(p)
    cbs = [f.read, f.readline]
    return cbs[0]


def make(p):
    f = open(p)
    return type("R", (), {"r": f.read})


def members(p):
    t = tarfile.open(p)
    return list(map(t.extractfile, t.getnames()))
