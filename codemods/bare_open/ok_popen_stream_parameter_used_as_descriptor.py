# a parameter the function passes to `os.*` as a descriptor is no pipe when it is a `Popen` stream: waited, no finding
import os
import subprocess
import sys


def run_with(stdin_no, stdout_no):
    os.write(stdin_no, b"STDIN")
    os.lseek(stdin_no, 0, 0)
    p = subprocess.Popen([sys.executable, "-c", "pass"], stdin=stdin_no, stdout=stdout_no)
    p.wait()
    return os.read(stdout_no, 1024)

