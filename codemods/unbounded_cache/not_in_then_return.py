# `if k not in C: C[k] = compute(k)` then `return C[k]`: the body becomes `return compute(k)` (unsafe: it calls out)
import re

_patterns = {}


def compile_glob(pattern):
    if pattern not in _patterns:
        regex = pattern.replace(".", r"\.").replace("*", ".*")
        _patterns[pattern] = re.compile(regex)
    return _patterns[pattern]


def _keys_from_compile_glob(path):
    with open(path) as f:
        for line in f:
            compile_glob(*line.split())
