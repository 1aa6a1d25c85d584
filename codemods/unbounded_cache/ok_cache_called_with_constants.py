# a private `@cache` function that every call in the module passes constants, enum members or settings: no finding
import enum
import functools

from django.conf import settings

LIMIT = 10


class Color(enum.Enum):
    RED = 1


@functools.cache
def _load(name, size=None):
    return [name] * (size or 1)


def startup():
    _load("core", LIMIT)
    _load(Color.RED)
    for path in settings.STATICFILES_FINDERS:
        _load(path, size=2)
    _load.cache_clear()
