# `open` here is gzip.open in one module and a local function in another scope
from gzip import open


def read(path):
    return open(path).read()
