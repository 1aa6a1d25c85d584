# A bound method of the file returned or stored on an object holds the file: called after a `with` block, it would
# meet a closed file. Reported, no fix.
def reader(p):
    f = open(p)
    return f.readline


class Reader:
    def __init__(self, p):
        f = open(p)
        self.read = f.read

    def all(self):
        return self.read()


def readers(p, whole):
    f = open(p)
    return (f.read if whole else f.readline), 1


class Lines:
    def __init__(self, p):
        f = open(p)
        self.next_line = f.__next__
        self.read = getattr(f, "read")
