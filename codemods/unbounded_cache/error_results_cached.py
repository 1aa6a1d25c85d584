# Several `C[k] = v; return v` exits (errors cached too) are all dropped: `lru_cache` caches every return
import subprocess

_sysctl = {}


def get_sysctl(name):
    try:
        return _sysctl[name]
    except KeyError:
        pass
    proc = subprocess.run(["sysctl", "-n", name], capture_output=True, text=True)
    if proc.returncode:
        _sysctl[name] = None
        return None
    value = int(proc.stdout.strip())
    _sysctl[name] = value
    return value


def _keys_from_get_sysctl(path):
    with open(path) as f:
        for line in f:
            get_sysctl(*line.split())
