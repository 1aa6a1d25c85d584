# `contextlib.closing` is imported into the file's standard-library block, at isort's place (plain imports first,
# then `from` imports, by module), not after the third-party block
import os
import sqlite3

import requests


def count(path):
    conn = sqlite3.connect(path)
    n = conn.execute("select count(*) from t").fetchone()[0]
    conn.close()
    return n, os.sep, requests
