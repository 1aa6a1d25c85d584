# `_table.__setitem__(key, value)` grows the global with the arguments like `_table[key] = value`: reported, no fix
_table = {}


def remember(key, value):
    _table.__setitem__(key, value)


def _keys_from_remember(path):
    with open(path) as f:
        for line in f:
            remember(*line.split())
