# the handle is appended to a list that outlives it
def open_all(paths, handles):
    for p in paths:
        f = open(p)
        handles.append(f)
