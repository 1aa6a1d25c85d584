# opened first, then managed by `with f:`
def read(path):
    try:
        f = open(path)
    except OSError:
        return ""
    with f:
        return f.read()
