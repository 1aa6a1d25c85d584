# a public `@cache` function called here only with constants: other modules may pass anything, fixed (unsafe)
import functools


@functools.cache
def load(name):
    return [name]


def startup():
    load("core")
