# a bound method of a `sqlite3` cursor returned, directly or through a name bound to a conditional: it needs the
# connection open, no fix
import sqlite3


def rows(p):
    conn = sqlite3.connect(p)
    cur = conn.cursor()
    cur.execute("select x from t")
    return cur.fetchall


def getter(p, one):
    conn = sqlite3.connect(p)
    cur = conn.execute("select x from t")
    get = cur.fetchone if one else cur.fetchall
    return get
