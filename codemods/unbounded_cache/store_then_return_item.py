# `C[k] = compute(k)` then `return C[k]`: the store becomes the return
_slugs = {}


def slug(title):
    if title in _slugs:
        return _slugs[title]
    _slugs[title] = "-".join(title.lower().split())
    return _slugs[title]


def _keys_from_slug(path):
    with open(path) as f:
        for line in f:
            slug(*line.split())
