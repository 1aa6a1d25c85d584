# a generator yielding data read inline: the file would now stay open while suspended
def contents(paths):
    for p in paths:
        yield open(p).read()
