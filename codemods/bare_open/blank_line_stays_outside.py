# the blank line after `f = open(...)` stays outside the new block
def read(path):
    print("reading", path)
    f = open(path)

    data = f.read()
    f.close()
    return data
