# Entries are deleted one by one elsewhere (`del C[k]`): a table with a remove operation, managed, not reported
_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def forget(name):
    del _cache[name]
