# `with conn:` on a `sqlite3` connection commits (or rolls back) and leaves the connection open: a use, not a close.
# The fix closes it around the whole use and keeps the transaction block; a helper that only enters it does not
# close it either (unsafe: pyfix cannot tell it keeps nothing), one that closes it after is still the close.
import sqlite3


def save(path, rows):
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany("insert into t values (?)", rows)


def _commit(conn):
    with conn:
        conn.execute("create table if not exists t (x)")


def create(path):
    conn = sqlite3.connect(path)
    _commit(conn)


def _commit_and_close(conn):
    with conn:
        conn.execute("create table if not exists t (x)")
    conn.close()


def create_and_close(path):
    conn = sqlite3.connect(path)
    _commit_and_close(conn)
