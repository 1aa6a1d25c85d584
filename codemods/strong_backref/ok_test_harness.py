# Test code (it imports `unittest`): a fake that lives for one test, a class defined in a test, and an object that
# is its own `__dict__`: no finding.
import unittest


class FakeConnection:
    def __init__(self):
        self._connect = self.connect

    def connect(self):
        return self


class AttrDict(dict):
    def __init__(self, *args):
        dict.__init__(self, *args)
        self.__dict__ = self


class ReprTest(unittest.TestCase):
    def test_repr(self):
        class Node:
            def __init__(self):
                self._me = self

        self.assertTrue(repr(Node()))
