# `handlers` is kept by `register` (pkg/registry.py, re-exported by pkg): it escapes, reported without a fix
from pkg import register


def setup(name, handlers=[]):
    register(handlers)
    return name
