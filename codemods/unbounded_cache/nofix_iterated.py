# The dict is iterated by another function: its entries are data the module reads, so no fix
_cache = {}


def area(name):
    if name in _cache:
        return _cache[name]
    value = len(name) ** 2
    _cache[name] = value
    return value


def report():
    return sorted(_cache.items())


def _keys_from_area(path):
    with open(path) as f:
        for line in f:
            area(*line.split())
