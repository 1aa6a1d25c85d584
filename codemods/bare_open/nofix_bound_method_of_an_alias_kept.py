# a bound method taken from another name for the file (`g = f`) holds the file as much as one taken from `f`:
# returned or stored, it outlives the statement, and a `with` would close the file under it: no fix
def reader(p):
    f = open(p)
    g = f
    return g.read


def readers(p):
    f = open(p)
    g = f
    h = g
    return (h.readline,)


def in_a_list(p):
    f = open(p)
    g = f
    cbs = [g.read]
    return cbs[0]

