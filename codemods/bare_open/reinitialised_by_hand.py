# `cx.__init__(...)` sets the connection up again by hand: where that fails, the object is left uninitialised and
# its `close()` raises (`ProgrammingError`). Called where it stands: unsafe; handed on to be called (a test that
# expects it to fail), also through a name: no fix.
import sqlite3
import unittest


class Reinit(unittest.TestCase):
    def test_reinit(self):
        cx = sqlite3.connect(":memory:")
        cx.execute("create table t (x)")
        cx.__init__(":memory:")
        cx.execute("create table t (x)")

    def test_bad_reinit(self):
        cx = sqlite3.connect(":memory:")
        with cx:
            cx.execute("create table t(t)")
        self.assertRaises(sqlite3.OperationalError, cx.__init__, "/nonexistent/dir/db")
        self.assertRaises(sqlite3.ProgrammingError, cx.execute, "select 1")

    def test_bad_reinit_bound(self):
        cx = sqlite3.connect(":memory:")
        init = cx.__init__
        self.assertRaises(sqlite3.OperationalError, init, "/nonexistent/dir/db")
