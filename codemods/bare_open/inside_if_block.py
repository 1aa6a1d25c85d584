# the handle lives inside an if block: the with block stays inside it
def maybe_read(path, wanted):
    result = None
    if wanted:
        f = open(path)
        result = f.read()
        f.close()
    return result
