# A test module that drives the collector (or tests `__del__` and weak references): its cycles are what it
# tests: no finding.
import gc
import unittest


class Cyclic:
    def __init__(self):
        self._me = self


class GcTest(unittest.TestCase):
    def test_collects(self):
        Cyclic()
        self.assertGreater(gc.collect(), 0)
