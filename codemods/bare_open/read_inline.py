# open(p).read() as a value: a with block around the statement, with a fresh name
def slurp(path):
    data = open(path).read()
    return data.upper()
