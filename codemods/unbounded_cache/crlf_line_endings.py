# A CRLF file keeps its line endings
_cache = {}


def double(n):
    if n in _cache:
        return _cache[n]
    value = n * 2
    _cache[n] = value
    return value


def _keys_from_double(path):
    with open(path) as f:
        for line in f:
            double(*line.split())
