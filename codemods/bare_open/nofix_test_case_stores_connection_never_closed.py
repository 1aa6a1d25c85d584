# `unittest.TestCase` closes nothing a test stores on `self`: a connection opened in `setUp` and closed nowhere
# is reported
import sqlite3
import unittest


class QueryTest(unittest.TestCase):
    def setUp(self):
        self.db_conn = sqlite3.connect(":memory:")

    def test_select(self):
        self.assertEqual(self.db_conn.execute("select 1").fetchone(), (1,))
