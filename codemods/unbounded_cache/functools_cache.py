# `@functools.cache` on a function of one argument -> `@functools.lru_cache(maxsize=128)`
import functools


@functools.cache
def parse_version(text):
    return tuple(int(part) for part in text.split("."))


def _keys_from_parse_version(path):
    with open(path) as f:
        for line in f:
            parse_version(*line.split())
