# `self.x = ...` in a class whose base (in the same module) closes `self.x` in its own `tearDown`, or whose class
# ends it with its kind's own method (an executor's `shutdown()`, a directory's `cleanup()`): no finding
import sqlite3
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor


class ReadTest(unittest.TestCase):
    def tearDown(self):
        self.con.close()


class ListTest(ReadTest):
    def setUp(self):
        self.con = sqlite3.connect("test.db")


class Loop:
    def start(self):
        self.executor = ThreadPoolExecutor(4)
        self.tmp = tempfile.TemporaryDirectory()

    def stop(self):
        self.executor.shutdown(wait=False)
        self.tmp.cleanup()
