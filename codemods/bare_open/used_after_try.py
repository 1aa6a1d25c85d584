# opened inside try, used after it: the try stays, a `with f:` block closes the file after it
def load(path):
    try:
        f = open(path)
    except OSError:
        return None
    data = f.read()
    f.close()
    return data
