# `gzip.open`, `bz2.open`, `lzma.open`: `with`, like `open`
import bz2
import gzip
import lzma


def gz_text(path):
    return gzip.open(path, "rt").read()


def bz2_bytes(path):
    return bz2.open(path).read()


def xz_bytes(path):
    f = lzma.open(path)
    data = f.read()
    f.close()
    return data
