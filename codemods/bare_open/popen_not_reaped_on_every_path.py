# a `Popen` that one path leaves before `communicate()`, or `wait()` with a pipe left open: still a finding
import subprocess


def early_return(cmd, quick):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    if quick:
        return None
    out, _ = p.communicate()
    return out


def pipe_left_open(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()
    p.wait()
    return p.returncode


def rebound_before(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    return p.communicate()[0]
