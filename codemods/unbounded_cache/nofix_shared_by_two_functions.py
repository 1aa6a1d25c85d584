# Two functions memoize into one dict: one `lru_cache` each would not share entries
_cache = {}


def upper(name):
    if name in _cache:
        return _cache[name]
    _cache[name] = name.upper()
    return _cache[name]


def lower(name):
    if name in _cache:
        return _cache[name]
    _cache[name] = name.lower()
    return _cache[name]
