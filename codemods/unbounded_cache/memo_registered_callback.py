# a memo of a function registered with code pyfix cannot see (`codecs.register`) is keyed by its callers' data: fixed
import codecs

_cache = {}


def search_function(encoding):
    entry = _cache.get(encoding)
    if entry is not None:
        return entry
    entry = encoding.lower()
    _cache[encoding] = entry
    return entry


codecs.register(search_function)
