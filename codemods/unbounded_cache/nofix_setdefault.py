# `return C.setdefault(k, compute(k))` computes every time: reported, not rewritten
_cache = {}


def norm(path):
    return _cache.setdefault(path, path.strip("/"))
