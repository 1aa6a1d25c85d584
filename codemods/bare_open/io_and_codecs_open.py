# io.open and codecs.open are the same leak
import codecs
import io


def read_both(a, b):
    x = io.open(a, encoding="utf-8")
    first = x.read()
    x.close()
    second = codecs.open(b, encoding="latin-1").read()
    return first + second
