# `global g; return x` on one line: the line is split after the declaration
g = 0


def f(x=[]):
    global g; g += 1; x.append(g)
    return x
