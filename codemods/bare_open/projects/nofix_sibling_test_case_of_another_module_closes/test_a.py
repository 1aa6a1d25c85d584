# a test case of another module closes its own `self.con`; nothing names it here: this one's is left open
import sqlite3
import unittest


class AuthorizerTests(unittest.TestCase):
    def setUp(self):
        self.con = sqlite3.connect(":memory:")

    def test_select(self):
        self.con.execute("select 1")
