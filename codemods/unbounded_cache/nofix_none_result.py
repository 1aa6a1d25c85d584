# `if v is None:` also misses when the function computes `None`: the original recomputes it every call
_cache = {}


def find(name):
    found = _cache.get(name)
    if found is None:
        found = None if name.startswith("_") else name
        _cache[name] = found
    return found


def _keys_from_find(path):
    with open(path) as f:
        for line in f:
            find(*line.split())
