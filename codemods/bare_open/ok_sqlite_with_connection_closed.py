# A `sqlite3` connection entered for its transaction and closed by the code, in `finally:` or through `closing`:
# nothing left open. A file entered by a helper that reads it (`with f:` first) is closed there: `return _read(f)`.
import sqlite3
from contextlib import closing


def save(path, rows):
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.executemany("insert into t values (?)", rows)
    finally:
        conn.close()


def count(path):
    with closing(sqlite3.connect(path)) as conn, conn:
        return conn.execute("select count(*) from t").fetchone()[0]


def _read(f):
    with f:
        return f.read()


def load(path):
    f = open(path)
    return _read(f)


def load_all(path):
    f = open(path)
    text = _read(f)
    return text.splitlines()
