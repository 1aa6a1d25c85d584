# a `while p.poll() is None:` loop that a `break` may leave with the child still running: reported
# (`ok_popen_polled_until_reaped`)
import subprocess
import time


def run(cmd, deadline):
    p = subprocess.Popen(cmd)
    while p.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.01)
    return p.returncode
