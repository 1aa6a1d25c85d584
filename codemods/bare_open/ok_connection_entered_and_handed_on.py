# A connection entered by `with` and returned, stored on an object, or closed by the code: its owner closes it, or
# the code does.
import sqlite3


def connect(path):
    with sqlite3.connect(path) as conn:
        conn.execute("create table if not exists t (x)")
        return conn


class Store:
    def open(self, path):
        with sqlite3.connect(path) as conn:
            conn.execute("create table if not exists t (x)")
            self.conn = conn

    def close(self):
        self.conn.close()


def once(path):
    with sqlite3.connect(path) as conn:
        conn.execute("create table if not exists t (x)")
    conn.close()
