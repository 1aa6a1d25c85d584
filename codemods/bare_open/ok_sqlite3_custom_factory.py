# `sqlite3.connect(..., factory=Cls)` builds the project's own connection class: left alone
import sqlite3


class Traced(sqlite3.Connection):
    pass


def open_traced(path):
    con = sqlite3.connect(path, factory=Traced)
    print(type(con).__name__)
