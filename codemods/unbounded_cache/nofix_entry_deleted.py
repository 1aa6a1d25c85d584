# An entry is deleted elsewhere (`del C[k]`): one `lru_cache` could not forget one key, so no fix
_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def forget(name):
    del _cache[name]


def _keys_from_lookup(path):
    with open(path) as f:
        for line in f:
            lookup(*line.split())
