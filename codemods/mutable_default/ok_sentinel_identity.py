# a module-level list compared by identity is a sentinel, not state
_missing = []


def get(d, key, default=_missing):
    if default is _missing:
        raise KeyError(key)
    return d.get(key, default)
