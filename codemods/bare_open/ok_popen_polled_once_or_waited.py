# a browser with no pipes (its streams `DEVNULL` or `None`, chosen by an `and`/`or`): waited for on one path, left
# running in the background on another: launched on purpose, no finding
import subprocess


def launch(cmdline, remote, background, redirect):
    inout = subprocess.DEVNULL if remote or background else None
    p = subprocess.Popen(cmdline, stdin=inout, stdout=(redirect and inout or None), stderr=inout)
    if remote:
        return not p.wait(5)
    elif background:
        return p.poll() is None
    return not p.wait()
