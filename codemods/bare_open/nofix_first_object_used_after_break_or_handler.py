# the name is bound to another file later, but a `break` out of the loop around the open, or a handler of the `try`
# around it, reaches the uses after that with the first file: they are its uses, so a `with` would close it under
# them; reported without a fix
def find_script(paths):
    for p in paths:
        f = open(p)
        if f.readline().startswith("#!"):
            break
        f.close()
        f = None
    else:
        return None
    data = f.read()
    f.close()
    return data


def load(p, q):
    try:
        f = open(p)
        n = int(f.readline())
        f.close()
        f = open(q)
    except ValueError:
        return f.read()
    data = f.read()
    f.close()
    return data
