# the handle goes to a function pyfix cannot see: it may keep it, so the fix is unsafe
def load(path, parse):
    f = open(path)
    result = parse(f)
    f.close()
    return result
