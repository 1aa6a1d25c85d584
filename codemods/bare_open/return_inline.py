# return open(p).read(): the return moves inside the with block
def read_all(path):
    return open(path, encoding="utf-8").read()
