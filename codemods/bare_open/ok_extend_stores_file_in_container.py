# `files.extend([f])` keeps `f` itself, and `d.update(log=f)` stores it: the container's owner owns it, no finding
def keep_files(path, files):
    files.extend([open(path)])


def keep_by_keyword(path, logs):
    logs.update(log=open(path))


def keep_reader(path, readers):
    import itertools

    readers.extend(itertools.tee(open(path)))
