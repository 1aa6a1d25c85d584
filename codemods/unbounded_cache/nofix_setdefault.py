# `return C.setdefault(k, compute(k))` computes every time: reported, not rewritten
_cache = {}


def norm(path):
    return _cache.setdefault(path, path.strip("/"))


def _keys_from_norm(path):
    with open(path) as f:
        for line in f:
            norm(*line.split())
