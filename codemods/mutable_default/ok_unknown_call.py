# a call of an unknown function is not known to build a mutable value
def make():
    return []


def f(x=make(), y=tuple([1])):
    return x, y
