# `env` grows and is forwarded to `spawn` (pkg/run.py), where None inherits: reported, no fix, naming pkg/run.py
from .run import spawn


def build(target, env={}):
    env[target] = "1"
    return spawn(["make", target], env=env)
