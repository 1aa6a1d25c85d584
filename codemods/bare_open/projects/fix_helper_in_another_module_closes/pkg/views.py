# the file is closed by `close_quietly` of pkg/util.py (a relative import): the same fix as a helper of this module
from .util import close_quietly


def read(p):
    f = open(p)
    data = f.read()
    close_quietly(f)
    return data
