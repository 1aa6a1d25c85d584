# The dict is handed out by another function: callers may read or change it
_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def snapshot():
    return _cache


def _keys_from_lookup(path):
    with open(path) as f:
        for line in f:
            lookup(*line.split())
