# a process handed to a function of this module that closes its pipes, waits for it and keeps it nowhere
# (`kill_python(p)` of CPython's test.support): finished on the normal path; no finding
import subprocess
import sys


def kill(p):
    p.stdin.close()
    data = p.stdout.read()
    p.stdout.close()
    p.wait()
    return data


def run(code):
    p = subprocess.Popen(
        [sys.executable, "-i"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    p.stdin.write(code.encode())
    data = kill(p)
    return data


def wait_only(p):
    p.wait()


def run_without_pipes():
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    wait_only(p)


def run_and_return(code):
    p = subprocess.Popen(
        [sys.executable, "-i"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    p.stdin.write(code.encode())
    return kill(p)
