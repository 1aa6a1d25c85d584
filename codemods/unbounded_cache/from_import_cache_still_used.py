# `from functools import cache` also used for a no-argument function: the import keeps `cache` and gains `lru_cache`
from functools import cache


@cache
def settings():
    return {"debug": False}


@cache
def resolve(name):
    return name.partition(":")


def _keys_from_resolve(path):
    with open(path) as f:
        for line in f:
            resolve(*line.split())
