# A generator's "result" is a generator object: `lru_cache` would hand out an exhausted one
_cache = {}


def chunks(n):
    if n in _cache:
        yield from _cache[n]
        return
    parts = list(range(n))
    _cache[n] = parts
    yield from parts
