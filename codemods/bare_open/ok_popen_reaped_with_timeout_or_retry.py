# a `Popen` reaped on every normal path with a timeout (a `TimeoutExpired` is an exceptional path; a handler that
# reaps and re-raises is fine), or by `communicate(timeout=...)` retried in `while True:` until it returns: no finding
import subprocess


def run(cmd, data, timeout):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        out, _ = p.communicate(data, timeout=timeout)
    except BaseException:
        p.kill()
        p.wait()
        raise
    return out


def retry(cmd):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    while True:
        try:
            proc.communicate(timeout=0.1)
            return proc.returncode
        except subprocess.TimeoutExpired:
            pass
