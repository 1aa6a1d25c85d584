# A generator's "result" is a generator object: `lru_cache` would hand out an exhausted one
_cache = {}


def chunks(n):
    if n in _cache:
        yield from _cache[n]
        return
    parts = list(range(n))
    _cache[n] = parts
    yield from parts


def _keys_from_chunks(path):
    with open(path) as f:
        for line in f:
            chunks(*line.split())
