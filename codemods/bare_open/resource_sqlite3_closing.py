# `sqlite3.connect()`: its `__exit__` commits but does not close, so `with closing(...)`; the commit stays
import sqlite3


def add_user(path, name):
    conn = sqlite3.connect(path)
    conn.execute("insert into users (name) values (?)", (name,))
    conn.commit()
    conn.close()
