# returned on one path but left on another without being handed over or closed, or passed to a function whose
# result is returned (that result is what the caller gets): reported
def open_checked(path):
    f = open(path, "rb")
    if f.read(4) != b"MAGI":
        return None
    f.seek(0)
    return f


def open_in_loop(paths):
    for p in paths:
        f = open(p)
        if f.readline():
            return f


def parsed(path, parse):
    return parse(open(path))
