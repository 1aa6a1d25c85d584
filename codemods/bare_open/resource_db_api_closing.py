# `psycopg2.connect` and `pymysql.connect`: their `__exit__` ends a transaction, so `with closing(...)`
import psycopg2
import pymysql


def count_pg(dsn):
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    cur.execute("select count(*) from t")
    n = cur.fetchone()[0]
    conn.close()
    return n


def count_mysql(**kw):
    conn = pymysql.connect(**kw)
    n = conn.cursor().execute("select 1")
    conn.close()
    return n
