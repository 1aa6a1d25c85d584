# several mutable defaults: one guard per parameter, in parameter order, in one pass
def build(a=[], b=1, c={}, d={1, 2}):
    a.append(b)
    c[b] = a
    d.add(b)
    return a, c, d
