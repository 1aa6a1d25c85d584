# The key is one of two parameters: calls differing in `scale` would share a result
_cache = {}


def scaled(name, scale):
    if name in _cache:
        return _cache[name]
    value = len(name) * scale
    _cache[name] = value
    return value


def _keys_from_scaled(path):
    with open(path) as f:
        for line in f:
            scaled(*line.split())
