# `from functools import cache`: when every use is rewritten the import's `cache` becomes `lru_cache`
from functools import cache, wraps


@cache
def normalize(name):
    return name.lower().replace("_", "-")


@cache
def split(path):
    return tuple(path.split("/"))
