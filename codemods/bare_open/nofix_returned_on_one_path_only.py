# returned on one path, but another path leaves without handing it over or closing it: reported
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
