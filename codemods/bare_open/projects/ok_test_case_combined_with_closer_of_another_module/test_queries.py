# `Queries` opens `self.con`; `SqliteQueries(Queries, DBTestCase)` runs the other module's tearDown on it: no finding
import sqlite3

from helpers import DBTestCase


class Queries:
    def setUp(self):
        self.con = sqlite3.connect(":memory:")


class SqliteQueries(Queries, DBTestCase):
    pass
