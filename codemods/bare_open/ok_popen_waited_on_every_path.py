# every path waits for the child (after the `if` that opens it, in a `try`'s `else:`, in a `finally:` that closes
# each pipe first) or raises: no finding
import subprocess
import sys


def run(cmdline):
    if sys.platform == "win32":
        p = subprocess.Popen(cmdline)
    else:
        p = subprocess.Popen(cmdline, close_fds=True)
    return not p.wait()


def run_or_fall_through(cmdline):
    try:
        p = subprocess.Popen(cmdline, stdin=subprocess.DEVNULL)
    except OSError:
        pass
    else:
        p.wait()
        return True
    return False


def check_streams(cmd, check):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        check(p.stdin, p.stdout)
    finally:
        p.stdin.close()
        p.stdout.close()
        p.wait()
