# a bound method handed positionally to `Thread`, to `apply_async`, wrapped by `functools.partial`, or registered by
# `addCleanup` (not a close): the callee may call it after a block; reported without a fix
import functools
import threading
import unittest


def read_in_background(path):
    f = open(path)
    t = threading.Thread(None, f.read)
    t.start()
    return t


def read_async(pool, path):
    f = open(path)
    res = pool.apply_async(f.read)
    return res


def writer_for(loop, path):
    f = open(path, "w")
    w = functools.partial(f.write, "x")
    loop.call_soon(w)


class T(unittest.TestCase):
    def test_write(self):
        f = open("out.txt", "w")
        self.addCleanup(f.flush)
        f.write("x")
