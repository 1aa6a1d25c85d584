# The dict is emptied only by a reset function of the module: the reset calls `lookup.cache_clear()` instead
_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def reset():
    _cache.clear()
