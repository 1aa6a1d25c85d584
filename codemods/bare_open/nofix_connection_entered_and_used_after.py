# A connection entered by `with` (which only commits) and used after the block, directly or through a cursor made in
# it, or given no name: reported, no fix (closing it at the block's end would break the later use).
import sqlite3


def rows(path):
    with sqlite3.connect(path) as conn:
        cur = conn.execute("select x from t")
    return cur.fetchall()


def insert(path):
    with sqlite3.connect(path) as conn:
        conn.execute("create table if not exists t (x)")
    conn.execute("insert into t values (1)")


def touch(path):
    with sqlite3.connect(path):
        pass
