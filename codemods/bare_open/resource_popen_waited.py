# `subprocess.Popen` waited for on the normal path: `__exit__` waits too, so `with` changes nothing else
import subprocess


def output(cmd):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return out
