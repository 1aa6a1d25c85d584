# a UTF-8 BOM survives the rewrite
def read(path):
    return open(path).read()
