# `self.con` stored by a test case and closed only by another test case of the module (a sibling whose bases close
# nothing): not a close of this object; reported without a fix. Closed by a subclass: left alone.
import sqlite3
import unittest


class Closes(unittest.TestCase):
    def setUp(self):
        self.con = sqlite3.connect(":memory:")

    def tearDown(self):
        self.con.close()


class NeverCloses(unittest.TestCase):
    def setUp(self):
        self.con = sqlite3.connect(":memory:")

    def test_select(self):
        self.con.execute("select 1")


class Base(unittest.TestCase):
    def setUp(self):
        self.con = sqlite3.connect(":memory:")


class ClosedBySubclass(Base):
    def tearDown(self):
        self.con.close()

