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
