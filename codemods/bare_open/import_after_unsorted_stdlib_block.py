# the leading standard-library block is not sorted isort's way: `closing` is imported at its end, above first-party
import os, unittest
import sqlite3 as sqlite

from test.support import TESTFN


class T(unittest.TestCase):
    def test_count(self):
        con = sqlite.connect(TESTFN)
        self.assertEqual(con.execute("select 1").fetchone(), (1,))
        con.close()
        os.unlink(TESTFN)
