# one open per item of a comprehension: no single with block can manage them
def read_all(paths):
    return [open(p).read() for p in paths]
