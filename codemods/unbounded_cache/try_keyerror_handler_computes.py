# `try: return C[k]` / `except KeyError:` with the computation inside the handler: the handler body is lifted
import subprocess

_versions = {}


def tool_version(tool):
    try:
        return _versions[tool]
    except KeyError:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
        version = out.split()[-1] if out else ""
        _versions[tool] = version
        return version


def _keys_from_tool_version(path):
    with open(path) as f:
        for line in f:
            tool_version(*line.split())
