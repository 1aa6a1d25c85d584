# `lru_cache(maxsize=None)` and `lru_cache(None, typed=True)` get the bound; other arguments stay
from functools import lru_cache


@lru_cache(maxsize=None)
def area(w, h):
    return w * h


@lru_cache(None, typed=True)
def kind(value):
    return type(value).__name__


def _keys_from_area(path):
    with open(path) as f:
        for line in f:
            area(*line.split())


def _keys_from_kind(path):
    with open(path) as f:
        for line in f:
            kind(*line.split())
