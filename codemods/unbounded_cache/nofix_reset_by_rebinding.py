# A reset that rebinds the dict (`_cache = {}`) is not rewritten: reported without a fix
_cache = {}


def lookup(name):
    if name in _cache:
        return _cache[name]
    value = name.upper()
    _cache[name] = value
    return value


def reset():
    global _cache
    _cache = {}


def _keys_from_lookup(path):
    with open(path) as f:
        for line in f:
            lookup(*line.split())
