# the handle is appended to a list that outlives it: the list's owner owns it, no finding
def open_all(paths, handles):
    for p in paths:
        f = open(p)
        handles.append(f)
