# a local variable named open is not the builtin
def read(path, opener):
    open = opener
    return open(path).read()
