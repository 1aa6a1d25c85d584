# The key built in a local first (`key = (a, b)`, exactly the arguments): the local goes with the lookup and the store
_cache = {}


def join(a, b):
    key = (a, b)
    if key in _cache:
        return _cache[key]
    value = f"{a}/{b}"
    _cache[key] = value
    return value


def _keys_from_join(path):
    with open(path) as f:
        for line in f:
            join(*line.split())
