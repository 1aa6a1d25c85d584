# sqlite3: a connection stays open when an insert fails; `with closing(...)` closes it, the commit still happens.
import sqlite3
import sys


def add_rows(path, rows):
    conn = sqlite3.connect(path)
    for row in rows:
        conn.execute("insert into t values (?)", (row,))
    conn.commit()
    conn.close()


setup = sqlite3.connect("data.db")
setup.execute("create table t (x integer not null)")
setup.close()
add_rows("data.db", [1, 2])
try:
    add_rows("data.db", [3, None])
except sqlite3.IntegrityError as e:
    print("error:", e)
    conn = e.__traceback__.tb_next.tb_frame.f_locals["conn"]
    try:
        conn.total_changes
        print("LEAK: the connection is still open", file=sys.stderr)
    except sqlite3.ProgrammingError:
        pass
    del conn
check = sqlite3.connect("data.db")
print(check.execute("select x from t order by x").fetchall())
check.close()
