# `import functools` is reused: `@functools.lru_cache(maxsize=128)`
import functools

_cache = {}


@functools.wraps(print)
def shout(text):
    if text in _cache:
        return _cache[text]
    loud = text.upper() + "!"
    _cache[text] = loud
    return loud


def _keys_from_shout(path):
    with open(path) as f:
        for line in f:
            shout(*line.split())
