# only reads what it is given
def dump(items):
    for item in items:
        print(item)
    return len(items)
