# a bound method of the file made an element (of a display, `iter([...])`, `+`, a `for` over a display, `min`/`max`
# of methods) and kept, or stored as a key or by `setattr`: no fix
def readers(p):
    f = open(p)
    return list(iter([f.read]))


def handlers(p, extra):
    f = open(p, "w")
    return [f.write] + extra


def last(p):
    f = open(p)
    for cb in [f.read]:
        pass
    return cb


def pick(p):
    f = open(p)
    return min(f.read, f.readline, key=id)


def register(p, reg, box):
    f = open(p)
    reg[f.read] = p
    setattr(box, "read", f.readline)
