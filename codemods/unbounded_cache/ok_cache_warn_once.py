# `@cache` on a function that returns nothing only remembers that it warned for a key: a registry, no finding
import functools
import logging


@functools.cache
def _warn_mismatched(old, new, *, key):
    logging.warning("value for %s does not match: %s != %s", key, old, new)


def check(old, new, key):
    _warn_mismatched(old, new, key=key)
