# `shelve.open` and `dbm.open`: `with`
import dbm
import shelve


def remember(path, key, value):
    shelf = shelve.open(path)
    shelf[key] = value
    shelf.close()


def keys(path):
    db = dbm.open(path, "c")
    result = list(db.keys())
    db.close()
    return result
