# A connection entered at module level is a module global: code that imports the module may use it after the block,
# so closing it there is unsafe.
import sqlite3

with sqlite3.connect(":memory:") as conn:
    VERSION = conn.execute("select sqlite_version()").fetchone()[0]


def version():
    return VERSION
