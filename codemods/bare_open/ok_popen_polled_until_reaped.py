# `while p.poll() is None:` left only when `poll()` reaped the child (a `raise` inside is an exceptional path), for
# a process without pipes: nothing left for `Popen.__exit__`, no finding (`nofix_popen_poll_loop_left_early`)
import subprocess
import sys
import time

p = subprocess.Popen([sys.executable, "-c", 'print("albatross")'])
num_polls = 0
while p.poll() is None:
    time.sleep(0.01)
    num_polls += 1
    if num_polls > 3000:
        raise RuntimeError("poll should have returned 0 within 30 seconds")
