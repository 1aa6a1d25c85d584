# the name that closes the pipe is bound twice (the second time to something else), or another pipe stays open:
# the process's pipe is not known to be closed; reported without a fix
import subprocess


def rebound(cmd, other):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    f = p.stdout
    data = f.read()
    f = other
    f.close()
    try:
        return data
    finally:
        p.wait()


def other_pipe_open(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    f = p.stdout
    try:
        return f.read()
    finally:
        f.close()
        p.wait()
