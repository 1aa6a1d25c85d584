# files handed to something that closes them are not even reported
import contextlib
import unittest
import weakref


class T(unittest.TestCase):
    def setUp(self):
        self.log = self.enterContext(open("log.txt", "w"))
        self.data = open("data.bin", "rb")
        self.addCleanup(self.data.close)

    def test_stack(self):
        with contextlib.ExitStack() as stack:
            f = stack.enter_context(open("a.txt"))
            g = open("b.txt")
            stack.callback(g.close)
            self.assertEqual(f.read(), g.read())


class Holder:
    def __init__(self, path):
        self.f = open(path)
        weakref.finalize(self, self.f.close)
