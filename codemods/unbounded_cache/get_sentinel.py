# The sentinel form `v = C.get(k, _MISSING)` / `if v is _MISSING:`: `None` results are cached too
import os

_MISSING = object()
_env = {}


def env_flag(name):
    value = _env.get(name, _MISSING)
    if value is _MISSING:
        value = os.environ.get(name)
        _env[name] = value
    return value
