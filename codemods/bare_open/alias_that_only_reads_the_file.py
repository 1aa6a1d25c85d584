# A name bound from what the file gives (`f.name`, `f.read()`, a line, `os.fstat(f.fileno())`) holds no file: the
# name can be bound to a new file after it, and the first file's `with` ends before that.
import io
import os
import tarfile


def backup(p):
    f = open(p)
    name = f.name
    head = f.readline()
    f = open(name + ".bak", "w")
    f.write(head)
    f.close()
    return head


def follow(p):
    f = open(p)
    for line in f:
        last = line
    f = open(last.strip())
    data = f.read()
    f.close()
    return data


def pair(p):
    f = open(p)
    size = os.fstat(f.fileno()).st_size
    head = f.read(size)
    f = open(p + str(size))
    tail = f.read()
    f.close()
    return head, tail


def inner_names(p):
    tar = tarfile.open(p)
    data = tar.extractfile("inner.tar").read()
    tar = tarfile.open(fileobj=io.BytesIO(data))
    names = tar.getnames()
    tar.close()
    return names
