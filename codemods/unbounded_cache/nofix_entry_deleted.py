# An entry is deleted elsewhere (`del C[k]`): the cache is managed, not just grown
_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def forget(name):
    del _cache[name]
