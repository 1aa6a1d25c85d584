# a connection closed on every path but one, and inside a nested block before an early `return`: one
# `with closing(...)` around the whole use, the code's closes stay (closing twice is harmless); the last one goes
import sqlite3


def count(path, table):
    conn = sqlite3.connect(path)
    if not table.isidentifier():
        conn.close()
        return None
    cur = conn.execute(f"select count(*) from {table}")
    if cur is None:
        return 0
    n = cur.fetchone()[0]
    conn.close()
    return n
