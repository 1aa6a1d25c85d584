# A `global C` declaration goes with the dict; another name in the same declaration stays
_cache = {}
_misses = 0


def lookup(name):
    global _cache, _misses
    if name in _cache:
        return _cache[name]
    _misses += 1
    value = name.upper()
    _cache[name] = value
    return value


def _keys_from_lookup(path):
    with open(path) as f:
        for line in f:
            lookup(*line.split())
