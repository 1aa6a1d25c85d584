# `open` imported from gzip is `gzip.open`, not the builtin: a gzip file, closed by `with` like a file
from gzip import open


def read(path):
    return open(path).read()
