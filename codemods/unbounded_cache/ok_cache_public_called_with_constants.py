# a public `@cache` function that no other file names, called here only with constants: a handful of keys, no finding
import functools


@functools.cache
def load(name):
    return [name]


def startup():
    load("core")
