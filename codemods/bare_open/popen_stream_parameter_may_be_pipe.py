# a parameter given as a `Popen` stream and never used as a descriptor may be `PIPE`: waited with `wait()`, it
# still leaves that pipe open, so the process gets a `with` block
import subprocess
import sys


def run_maybe_piped(stream):
    p = subprocess.Popen([sys.executable, "-c", "pass"], stdout=stream)
    p.wait()
    return p.returncode
