# `fcntl.lockf` keeps nothing, also when the module comes from `import_module("fcntl")`: safe
from importlib import import_module

fcntl = import_module("fcntl")


def lock_and_release(path, cmd):
    f = open(path, "wb+")
    fcntl.lockf(f, cmd)
    fcntl.lockf(f, fcntl.LOCK_UN)
    f.close()
