# a default that reads an attribute snapshots it at definition; the guard reads it per call: unsafe
import os


def run(cmd, env=dict(os.environ)):
    env["CMD"] = cmd
    return env
