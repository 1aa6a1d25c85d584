# open(p) passed to an unknown function: the fix is unsafe
def load(path, parser):
    tree = parser.parse(open(path, "rb"))
    return tree
