# `del conn` frees the connection where the code says; a `with` would keep it alive to the block's end: no fix
import gc
import sqlite3


def test_dealloc():
    conn = sqlite3.connect(":memory:")
    conn.execute("select 1")
    del conn
    gc.collect()
