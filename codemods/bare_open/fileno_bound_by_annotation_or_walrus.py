# `fd: int = f.fileno()` or `(fd := f.fileno())`: the descriptor is followed as from `fd = f.fileno()`, its later
# uses stay in the block: fixed
import os


def size(p):
    f = open(p, "rb")
    fd: int = f.fileno()
    return os.fstat(fd).st_size


def size_walrus(p):
    f = open(p, "rb")
    os.fstat(fd := f.fileno())
    return os.fstat(fd).st_size
