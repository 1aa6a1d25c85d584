# a descriptor number handed on by `int(...)` or a conditional is followed like `fd = f.fileno()`: its uses stay in
# the block, fixed
import os


def size(p):
    f = open(p, "rb")
    fd = int(f.fileno())
    return os.fstat(fd).st_size


def size_or_none(p):
    f = open(p, "rb")
    fd = f.fileno() if f else -1
    return os.fstat(fd).st_size
