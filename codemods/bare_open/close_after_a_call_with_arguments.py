# a method call with arguments before the close may raise: the close moves to the block's end
import sqlite3


def count(path):
    con = sqlite3.connect(path)
    cur = con.execute("select count(*) from t")
    con.close()
    return cur
