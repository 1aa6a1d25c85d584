# a blank line after `f = open(...)` when one already stands before it: it goes, rather than make two blank lines
# above the new `with` (pycodestyle's E303)
def read(path):
    print("reading", path)

    f = open(path)

    data = f.read()
    f.close()
    return data
