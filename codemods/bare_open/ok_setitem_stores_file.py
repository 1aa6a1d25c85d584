# `cache.__setitem__(k, f)` stores the file exactly as `cache[k] = f` does: the container's owner owns it, no finding
def remember(cache, path):
    f = open(path)
    cache.__setitem__(path, f)
    return f.readline()


def remember_subscript(cache, path):
    g = open(path)
    cache[path] = g
    return g.readline()
