# a child with no pipes, waited for when the caller asks and left running otherwise: launched on purpose, no finding
import subprocess


def open_url(url, wait=False):
    try:
        c = subprocess.Popen(["xdg-open", url])
        if wait:
            return c.wait()
        return 0
    except OSError:
        return 1
