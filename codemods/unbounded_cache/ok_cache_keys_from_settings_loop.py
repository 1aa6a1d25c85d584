# `@cache` whose only caller loops over a setting: a few entries for the life of the process, no finding
import functools

from django.conf import settings


def get_finders():
    for path in settings.STATICFILES_FINDERS:
        yield get_finder(path)


@functools.cache
def get_finder(import_path):
    return import_path.rpartition(".")
