# A function that reads the dict before clearing it is more than a reset: no fix
_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def reset():
    dropped = len(_cache)
    _cache.clear()
    return dropped


def _keys_from_lookup(path):
    with open(path) as f:
        for line in f:
            lookup(*line.split())
