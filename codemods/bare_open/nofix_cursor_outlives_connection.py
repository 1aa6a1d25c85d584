# A `sqlite3` cursor needs its connection open: one returned (bound, or straight from `conn.execute(q)`) would be
# handed back with its connection closed. Reported, no fix. (What it fetches is plain data: see
# `connection_entered_only_commits.py`.)
import sqlite3


def query(path):
    conn = sqlite3.connect(path)
    conn.execute("create table if not exists t (x)")
    cur = conn.execute("select count(*) from t")
    return cur


def query_direct(path):
    conn = sqlite3.connect(path)
    return conn.execute("select x from t")


class Query:
    def __init__(self, path):
        conn = sqlite3.connect(path)
        self.cur = conn.execute("select 1")


def rows_later(path):
    conn = sqlite3.connect(path)
    return iter(conn.execute("select x from t"))


def each(path, queries):
    conn = sqlite3.connect(path)
    curs = [conn.execute(q) for q in queries]
    return [c.fetchone()[0] for c in curs]


def bound(path, queries):
    conn = sqlite3.connect(path)
    curs = list(map(conn.execute, queries))
    conn.commit()
    return curs


CUR = None


def into_global(path):
    global CUR
    conn = sqlite3.connect(path)
    CUR = conn.execute("select 1")


def handed(path, queries, keep):
    conn = sqlite3.connect(path)
    out = []
    for q in queries:
        cur = conn.execute(q)
        out.append(cur)
    keep(out)
    return len(out)
