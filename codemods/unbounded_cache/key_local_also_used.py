# The local key (`key = (a, b)`) is also read by the computation: it stays, the lookup and the store go
_cache = {}


def join(a, b):
    key = (a, b)
    if key in _cache:
        return _cache[key]
    value = "/".join(key)
    _cache[key] = value
    return value


def _keys_from_join(path):
    with open(path) as f:
        for line in f:
            join(*line.split())
