# `sorted`, `max`, `join`, `assertIn` that are the module's own (not the builtin, not a string's, not unittest's) may
# keep what they are given: a bound method or a cursor handed to them outlives the block, no fix
import sqlite3

KEYS = []


def sorted(xs, key):
    KEYS.append(key)
    return list(xs)


class Spy:
    def join(self, it):
        KEYS.append(it)

    def assertIn(self, a, b):
        KEYS.append(a)


S = Spy()


def order(p, xs):
    f = open(p)
    return sorted(xs, key=f.seek)


def run(p):
    conn = sqlite3.connect(p)
    S.join(conn.execute("select 1"))
    S.assertIn(conn.execute("select 2"), [])
