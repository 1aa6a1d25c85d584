# A "warn once" set of every key ever seen only grows: reported, no fix
import warnings

_warned = set()


def warn_once(key, message):
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn(message)
