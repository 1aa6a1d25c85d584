# a name bound to a bound method of the file (or to an iterator calling one) made an element of a kept container:
# no fix
def reader(p):
    f = open(p)
    r = f.read
    cbs = [r]
    return cbs[0]


def lines(p):
    f = open(p)
    it = iter(f.readline, "")
    its = [it]
    return its[0]
