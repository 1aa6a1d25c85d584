# a lambda made earlier in the loop reads `reader` when it is called, after the file's block would end: reported,
# without a fix
import csv


def heads(paths):
    out = []
    for p in paths:
        reader = None
        first = lambda: next(reader)
        fh = open(p, newline="")
        reader = csv.reader(fh)
        print(fh.name)
        out.append(first())
    return out
