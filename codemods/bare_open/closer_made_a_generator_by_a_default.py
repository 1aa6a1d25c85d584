# A `yield` in a nested function's or lambda's default runs in the enclosing function, which is then a generator:
# calling it runs nothing, so it is no close (the helper is an unknown callee: unsafe fixes).
def _close(f):
    f.close()

    def inner(x=(yield)):
        pass


def _close_too(f):
    f.close()
    g = lambda x=(yield): x


def probe(p):
    f = open(p)
    _close(f)
    return True


def probe_inline(p):
    _close_too(open(p))
    return True


def load(p, keep):
    f = open(p)
    keep(f)
    _close(f)
