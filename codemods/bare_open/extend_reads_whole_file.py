# `lines.extend(f)` reads the file to its end and keeps its lines, not the file: safe, like `lines += list(f)`
def read_all(paths):
    lines = []
    for p in paths:
        lines.extend(open(p))
    return lines


def read_named(path, seen):
    f = open(path)
    seen.update(f)
    return seen
