# a cursor of the connection needs it open: the `closing` block covers the cursor's later uses too
import sqlite3


def first_name(path):
    conn = sqlite3.connect(path)
    cur = conn.execute("select name from users")
    print("connected")
    row = cur.fetchone()
    return row
