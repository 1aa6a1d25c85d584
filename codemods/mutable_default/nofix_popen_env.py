# `env` handed to subprocess.Popen, where None means "inherit the parent's environment": reported only
import subprocess


def start(cmd, env={}):
    env.update(TERM="dumb")
    return subprocess.Popen(cmd, env=env)
