# a process handed to a function that waits for it but leaves its stdin pipe open, waits with a timeout, or keeps
# it in a list: not finished by that call; reported without a fix
import subprocess
import sys


def wait_only(p):
    p.wait()


def wait_with_timeout(p):
    p.stdin.close()
    p.wait(timeout=5)


def keep(p):
    p.stdin.close()
    p.wait()
    _procs.append(p)


_procs = []


def run_a(code):
    p = subprocess.Popen([sys.executable], stdin=subprocess.PIPE)
    wait_only(p)


def run_b(code):
    p = subprocess.Popen([sys.executable], stdin=subprocess.PIPE)
    wait_with_timeout(p)


def run_c(code):
    p = subprocess.Popen([sys.executable], stdin=subprocess.PIPE)
    keep(p)


def run_d(code):
    p = subprocess.Popen([sys.executable])
    wait_only(p)
