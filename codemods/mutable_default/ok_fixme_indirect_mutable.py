# FIXME: mutable values built indirectly are not seen today (a list times a number, a name bound to another name)
BASE = []
ALIAS = BASE


def f(x=[0] * 3, y=ALIAS):
    x.append(1)
    y.append(1)
    return x, y
