# A CRLF file keeps its line endings
_cache = {}


def double(n):
    if n in _cache:
        return _cache[n]
    value = n * 2
    _cache[n] = value
    return value
