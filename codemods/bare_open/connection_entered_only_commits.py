# `with sqlite3.connect(p) as conn:` commits (or rolls back) at the block's end and leaves the connection open. The
# fix adds the close and keeps the transaction: `with closing(sqlite3.connect(p)) as conn, conn:` (the items exit
# right to left: commit, then close). What a cursor fetched may outlive the block; a cursor used up where it stands
# (`for ... in enumerate(conn.execute(q))`, `type(conn.cursor())`) or kept in a local list used only in the block
# needs nothing more (also `sum`/`join` over a generator of its rows, `yield from` it, a cursor entered by `with`).
import sqlite3
from contextlib import closing


def save(path, rows):
    with sqlite3.connect(path) as conn:
        conn.executemany("insert into t values (?)", rows)


def count(path):
    with sqlite3.connect(path) as conn:
        n = conn.execute("select count(*) from t").fetchone()[0]
    return n


def load_script(path, script):
    with open(script) as f, sqlite3.connect(path) as conn:  # the schema
        conn.executescript(f.read())


def create_then_fill(path, rows):
    with sqlite3.connect(path) as conn:
        conn.execute("create table if not exists t (x)")
    with sqlite3.connect(path) as conn:
        conn.executemany("insert into t values (?)", rows)
    return len(rows)


def numbered(path):
    out = []
    with sqlite3.connect(path) as conn:
        for i, row in enumerate(conn.execute("select x from t")):
            out.append((i, row[0]))
        kind = type(conn.cursor())
    return out, kind


def many_cursors(path):
    conn = sqlite3.connect(path)
    cursors = []
    for i in range(3):
        cur = conn.cursor()
        cursors.append(cur)
        cur.execute("select ?", (i,))
    conn.close()


def total(path):
    with sqlite3.connect(path) as conn:
        n = sum(r[0] for r in conn.execute("select x from t"))
        names = ",".join(str(r[0]) for r in conn.execute("select x from t"))
        with closing(conn.cursor()) as cur:
            cur.execute("select 1")
            one = cur.fetchone()[0]
    return n, names, one


def stream(path):
    with sqlite3.connect(path) as conn:
        yield from conn.execute("select x from t")


def flat(path, queries):
    with sqlite3.connect(path) as conn:
        rows = [r[0] for q in queries for r in conn.execute(q)]
    return rows


def first(path):
    conn = sqlite3.connect(path)
    ex = conn.execute
    return ex("select 1").fetchone()[0]
