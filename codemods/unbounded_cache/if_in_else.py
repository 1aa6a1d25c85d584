# `if k in C: v = C[k]` / `else: ...; C[k] = v` then `return v`: the else branch is lifted
import importlib

_finders = {}


def finder(package):
    if package in _finders:
        result = _finders[package]
    else:
        module = importlib.import_module("finders")
        result = getattr(module, package, None) or module
        _finders[package] = result
    return result


def _keys_from_finder(path):
    with open(path) as f:
        for line in f:
            finder(*line.split())
