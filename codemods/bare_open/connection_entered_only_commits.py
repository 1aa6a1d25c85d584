# `with sqlite3.connect(p) as conn:` commits (or rolls back) at the block's end and leaves the connection open. The
# fix adds the close and keeps the transaction: `with closing(sqlite3.connect(p)) as conn, conn:` (the items exit
# right to left: commit, then close). What a cursor fetched may outlive the block.
import sqlite3


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
