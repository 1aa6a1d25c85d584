# `__exit__` handed over for a kind whose `__exit__` does not close it (a `sqlite3` connection's only commits: no fix,
# the callee may call it after a block), or
# called by hand: not taken as a close; reported. FIXME: `f.__exit__(None, None, None)` called by hand closes the
# file on the normal path, but the finding says "never closed" (its leak is on the exception path only).
import sqlite3


def store(path, row, stack):
    con = sqlite3.connect(path)
    con.execute("insert into t values (?)", (row,))
    stack.push(con.__exit__)


def read_first(path, parse):
    f = open(path)
    f.__enter__()
    data = parse(f.readline())
    f.__exit__(None, None, None)
    return data
