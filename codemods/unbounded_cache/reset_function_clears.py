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


def _keys_from_lookup(path):
    with open(path) as f:
        for line in f:
            lookup(*line.split())
