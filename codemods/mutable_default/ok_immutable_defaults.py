# tuples, frozensets, strings, numbers, None and bools are not shared mutable state
def f(a=(), b=frozenset(), c="", d=0, e=None, f=True, g=(1, [2]), h=b""):
    return a, b, c, d, e, f, g, h
