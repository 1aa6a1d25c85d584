# what is taken from a name bound to a bound method of the file (`cb.__self__`, `getattr(cb, "__self__")`) holds
# the file too: kept past the block, no fix
def owner(p):
    f = open(p)
    cb = f.read
    return cb.__self__


def owner_by_name(p):
    f = open(p)
    cb = f.read
    return getattr(cb, "__self__")
