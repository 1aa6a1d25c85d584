# `f = open(p); data = f.read()` on one line: the fix splits the statements
def read(path):
    f = open(path); data = f.read()
    f.close()
    return data


def slurp(path):
    f = open(path); data = f.read(); f.close(); return data
