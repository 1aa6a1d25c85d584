# The new value is made from what the first object gave, which shares its stream or connection (a member of an
# archive, a cursor): the first object must stay open until then. Reported, no fix. (What a known method gives as
# plain data, `f.read()` or `f.name`, holds nothing: see `alias_that_only_reads_the_file.py`.) The second
# connection gets its own block.
import sqlite3
import tarfile


def inner_names(p):
    tar = tarfile.open(p)
    member = tar.extractfile("inner.tar")
    tar = tarfile.open(fileobj=member)
    names = tar.getnames()
    tar.close()
    return names


def follow(index_db):
    conn = sqlite3.connect(index_db)
    cur = conn.execute("select path from dbs")
    conn = sqlite3.connect(cur.fetchone()[0])
    n = conn.execute("select count(*) from sqlite_master").fetchone()[0]
    conn.close()
    return n
