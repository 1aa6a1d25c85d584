# A connection entered by `with` (which only commits) and used after the block, directly or through a cursor made in
# it (returned, stored, appended, wrapped by `iter`), in a loop before it, after a rebinding that may not run, as a
# class attribute, or given no name: reported, no fix (closing it at the block's end would break the later use).
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


def cursor(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("select x from t")


class Query:
    def __init__(self, path):
        with sqlite3.connect(path) as conn:
            self.cur = conn.execute("select 1")


def cursors(path):
    out = []
    with sqlite3.connect(path) as conn:
        out.append(conn.execute("select 1"))
        it = iter(conn.execute("select 2"))
    return out, it


def maybe_other(path, other):
    with sqlite3.connect(path) as conn:
        conn.execute("create table if not exists t (x)")
    if other:
        conn = sqlite3.connect(other)
    return conn.execute("select count(*) from t").fetchone()[0]


def each(paths):
    conn = None
    out = []
    for p in paths:
        if conn is not None:
            out.append(conn.execute("select 1").fetchone()[0])
        with sqlite3.connect(p) as conn:
            conn.execute("create table if not exists t (x)")
    return out


class Config:
    with sqlite3.connect(":memory:") as conn:
        version = conn.execute("select sqlite_version()").fetchone()[0]


def each(path, queries):
    with sqlite3.connect(path) as conn:
        curs = {q: conn.execute(q) for q in queries}
    return {q: c.fetchone()[0] for q, c in curs.items()}


class Runner:
    def __init__(self, path):
        with sqlite3.connect(path) as conn:
            self.execute = conn.execute
