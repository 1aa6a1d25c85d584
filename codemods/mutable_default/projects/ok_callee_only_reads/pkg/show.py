# only reads what it is given
def dump(items):
    return ", ".join(items)
