# the `finally:` of the `try` around the open closes `f`; `f` is bound again later, but on an exception the
# `finally:` runs first and closes this file: no finding for it (the second file is the one bound last)
def check(path):
    f = open(path, "w")
    try:
        f.write("x")
        f.close()
        f = open(path)
        for size in (1, 2, 3):
            if not f.read(size):
                raise ValueError(size)
        f.close()
        f = open(path, "rb")
        data = f.read()
    finally:
        f.close()
    return data


def load(p, backup):
    # the handler goes on with the first file when `check()` raises: the `finally:` below closes it then
    try:
        f = open(p)
        header = f.readline()
        check(header)
        f.close()
        f = open(backup)
    except ValueError:
        pass
    try:
        return f.read()
    finally:
        f.close()


def check(h):
    if not h:
        raise ValueError(h)
