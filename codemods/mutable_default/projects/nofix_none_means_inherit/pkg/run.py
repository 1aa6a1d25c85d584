# `env=None` inherits the parent's environment: None means something here
import os
import subprocess


def spawn(cmd, env=None):
    if env is None:
        env = dict(os.environ)
    return subprocess.call(cmd, env=env)
