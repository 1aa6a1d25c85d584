# A memo that bounds itself (a size check that clears or evicts) is managed: not reported
_cache = {}
_MAX = 100


def compile_key(key):
    if key in _cache:
        return _cache[key]
    if len(_cache) >= _MAX:
        _cache.clear()
    value = key.lower()
    _cache[key] = value
    return value
