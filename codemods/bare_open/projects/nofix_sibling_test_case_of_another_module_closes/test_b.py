# a sibling test case that closes its own connection, and a class of the same name as another module's
import sqlite3
import unittest


class FunctionTests(unittest.TestCase):
    def setUp(self):
        self.con = sqlite3.connect(":memory:")

    def tearDown(self):
        self.con.close()
