# The dict is cleared by another function: one `lru_cache` could not be cleared the same way
_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def reset():
    _cache.clear()
