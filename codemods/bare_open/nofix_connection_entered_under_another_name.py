# `with conn as c:` on a `sqlite3` connection binds it to `c` too (its `__enter__` returns it), and
# `stack.enter_context(conn)` hands it to a stack that only commits it when it closes: a block closing `conn`
# would end before `c`'s later uses, or before the stack commits. Reported, no fix.
import sqlite3
from contextlib import ExitStack


def open_db(path):
    conn = sqlite3.connect(path)
    with conn as c:
        c.execute("create table if not exists t (x)")
    return c


def save(path, rows):
    with ExitStack() as stack:
        conn = sqlite3.connect(path)
        stack.enter_context(conn)
        conn.executemany("insert into t values (?)", rows)
    return len(rows)
