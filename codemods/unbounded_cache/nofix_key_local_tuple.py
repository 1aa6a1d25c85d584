# The key built in a local first (`key = (a, b)`): reported without a fix (pyfix rewrites only an inline key)
_cache = {}


def join(a, b):
    key = (a, b)
    if key in _cache:
        return _cache[key]
    value = f"{a}/{b}"
    _cache[key] = value
    return value
