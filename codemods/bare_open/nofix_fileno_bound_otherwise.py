# `fd: int = f.fileno()` or `(fd := f.fileno())`: the descriptor bound otherwise than by a plain assignment is not
# followed, so the file is not closed before its later uses. FIXME: reported without a fix with the reason "`fd` is
# rebound while the file is open", which is not what stops the fix.
import os


def size(p):
    f = open(p, "rb")
    fd: int = f.fileno()
    return os.fstat(fd).st_size


def size_walrus(p):
    f = open(p, "rb")
    os.fstat(fd := f.fileno())
    return os.fstat(fd).st_size
