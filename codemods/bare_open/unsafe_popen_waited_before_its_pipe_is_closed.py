# waited for, but a pipe is closed only after the wait (an exception before it leaves the pipe open): unsafe fix
import subprocess
import sys


def run(cmd, check):
    p = subprocess.Popen([sys.executable, "-c", cmd], stderr=subprocess.PIPE)
    check()
    p.terminate()
    p.wait()
    err = p.stderr.read()
    p.stderr.close()
    return err
