# A helper that closes its argument first still runs after the call's other arguments are evaluated: `int(s)` may
# raise before it, and the file is left open. Fixed; with plain names and literals only, the call is the close.
def _read(f, n):
    with f:
        return f.read(n)


def load(p, s):
    f = open(p)
    data = _read(f, int(s))
    return data


def load_all(p, n):
    f = open(p)
    data = _read(f, n)
    return data
