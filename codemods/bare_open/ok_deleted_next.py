# `o = BZ2File(p)` followed by `del o` with nothing that can raise in between: the only reference is dropped and
# reference counting releases the object there, as a close would: no finding
import bz2


def test_del(self, filename):
    for i in range(10000):
        o = bz2.BZ2File(filename)
        del o
