# The dict is listed in `__all__`: other modules may read it
__all__ = ["lookup", "_cache"]

_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def _keys_from_lookup(path):
    with open(path) as f:
        for line in f:
            lookup(*line.split())
