# `if not proc: return None` on a `Popen` just made never runs: communicated on every other path, no finding
import subprocess


def run(command):
    proc = subprocess.Popen(command, stdout=subprocess.PIPE)
    if not proc:
        return None
    stdout, _ = proc.communicate()
    return stdout
