# plain data attributes (a connection's `total_changes`, a cursor's `lastrowid`/`rowcount`, an archive's `comment`,
# a file's `line_buffering`) hold nothing of the object: returned or kept, they do not block the fix
import sqlite3
import zipfile


def changes(p):
    conn = sqlite3.connect(p)
    conn.execute("insert into t values (1)")
    return conn.total_changes


def last_id(p):
    conn = sqlite3.connect(p)
    return conn.execute("insert into t values (1)").lastrowid


class Archive:
    def __init__(self, p):
        z = zipfile.ZipFile(p)
        self.comment = z.comment


def buffered(p):
    f = open(p)
    return f.line_buffering
