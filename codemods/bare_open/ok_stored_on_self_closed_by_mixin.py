# `self.con` closed by a mixin (a class with no base but `object`), which may be combined with the class anywhere,
# here `class Combined(ClosingMixin, Opens)`: left alone
import sqlite3
import unittest


class Opens(unittest.TestCase):
    def setUp(self):
        self.con = sqlite3.connect(":memory:")


class ClosingMixin:
    def tearDown(self):
        self.con.close()


class Combined(ClosingMixin, Opens):
    pass
