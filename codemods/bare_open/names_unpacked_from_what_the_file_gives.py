# names unpacked from what is taken from the file (`a, b = f.read, f.readline`, `encoding, lines =
# tokenize.detect_encoding(f.readline)`) and descriptor numbers carried by `+` or a list are followed: fixed
import os
import tokenize


def reader(p):
    f = open(p)
    a, b = f.read, f.readline
    return a()


def encoding_of(p):
    f = open(p, "rb")
    encoding, lines = tokenize.detect_encoding(f.readline)
    return encoding, lines


def size(p):
    f = open(p, "rb")
    fds = [f.fileno() + 0]
    return os.fstat(fds[0]).st_size
