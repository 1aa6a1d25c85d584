# a `while True:` retry loop with an exit that does not follow a `communicate()`: still a finding, and `__exit__`
# would wait there for a process that may never end: no fix
import subprocess


def retry(cmd, give_up):
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    while True:
        if give_up():
            break
        try:
            proc.communicate(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            pass
    return proc.returncode
