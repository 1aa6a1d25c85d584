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


def _keys_from_lower(path):
    with open(path) as f:
        for line in f:
            lower(*line.split())


def _keys_from_upper(path):
    with open(path) as f:
        for line in f:
            upper(*line.split())
