# a safe default before an unsafe one: with --unsafe-fixes the guards still end in parameter order
def make():
    return []


def f(a={}, b=[make()]):
    a[1] = b
    return a, b
