# a child with no pipes that the code never waits for is launched on purpose (a browser left running): no finding
import subprocess


def open_in_background(cmdline):
    try:
        p = subprocess.Popen(cmdline, close_fds=True, start_new_session=True)
        return p.poll() is None
    except OSError:
        return False


def open_quietly(url):
    devnull = subprocess.DEVNULL
    p = subprocess.Popen(["konqueror", url], stdin=devnull, stdout=devnull, stderr=devnull)
    return p.pid
