# one safe and one unsafe default: with --unsafe-fixes both guards land, in parameter order
def make():
    return []


def f(a=[make()], b={}):
    a.append(1)
    b[1] = a
    return a, b
