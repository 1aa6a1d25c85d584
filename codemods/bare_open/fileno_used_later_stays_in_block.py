# `fd = f.fileno()` is the file's descriptor: its later uses stay in the block (closed before them, `os.fstat(fd)`
# would fail, or act on another file that reuses the number).
import os


def size(p):
    f = open(p, "rb")
    fd = f.fileno()
    return os.fstat(fd).st_size


def save(p, text):
    f = open(p, "w")
    f.write(text)
    f.flush()
    fd = f.fileno()
    os.fsync(fd)
    return len(text)
