# `env` reaches a callee where `env=None` means "inherit the environment": callers passing None mean that, reported only
import os


def _launch(argv, env):
    if env is None:
        env = os.environ
    return os.spawnve(os.P_WAIT, argv[0], argv, env)


def spawn(argv, env={}):
    env.setdefault("LANG", "C")
    return _launch(argv, env)
