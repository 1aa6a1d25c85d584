# `from functools import cache`: when every use is rewritten the import's `cache` becomes `lru_cache`
from functools import cache, wraps


@cache
def normalize(name):
    return name.lower().replace("_", "-")


@cache
def split(path):
    return tuple(path.split("/"))


def _keys_from_normalize(path):
    with open(path) as f:
        for line in f:
            normalize(*line.split())


def _keys_from_split(path):
    with open(path) as f:
        for line in f:
            split(*line.split())
