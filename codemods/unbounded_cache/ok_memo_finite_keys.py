# a memo dict keyed by a bool parameter: two entries at most, no finding
_cache = {}


def banner(wide: bool):
    if wide in _cache:
        return _cache[wide]
    value = "=" * (80 if wide else 40)
    _cache[wide] = value
    return value
