# a connection made and never used (a constructor test): `with ...: pass` is not what anyone writes; reported only
import sqlite3


def test_connect_works():
    con = sqlite3.connect(":memory:")
