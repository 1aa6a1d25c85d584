# opened inside try, used after it: a with around the try body would close it too early
def load(path):
    try:
        f = open(path)
    except OSError:
        return None
    data = f.read()
    f.close()
    return data
