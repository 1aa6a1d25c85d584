# `if not v:` also misses on `""` and `0`, which the function can compute: the original recomputes those
_cache = {}


def first_word(text):
    word = _cache.get(text)
    if not word:
        word = text.split(" ")[0] if text else ""
        _cache[text] = word
    return word


def _keys_from_first_word(path):
    with open(path) as f:
        for line in f:
            first_word(*line.split())
