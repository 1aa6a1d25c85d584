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


def _keys_from_env_flag(path):
    with open(path) as f:
        for line in f:
            env_flag(*line.split())
