# The key `hash(text)` is not the argument: two texts with one hash would share a result
_cache = {}


def looks_like_xml(text):
    key = hash(text)
    try:
        return _cache[key]
    except KeyError:
        rv = "<" in text
        _cache[key] = rv
        return rv


def _keys_from_looks_like_xml(path):
    with open(path) as f:
        for line in f:
            looks_like_xml(*line.split())
