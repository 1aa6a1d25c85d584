# `subprocess.Popen` waited for on the normal path: `__exit__` waits too, so `with` changes nothing else (but the
# pipe the code never closes); drained and reaped at once by the next statement: nothing leaks, no finding
import subprocess


def output(cmd):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.wait()
    return first


def drained(cmd):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return out


def status(cmd):
    return subprocess.Popen(cmd).wait(timeout=60)
