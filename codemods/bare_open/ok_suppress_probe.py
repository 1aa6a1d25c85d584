# an open inside `contextlib.suppress(OSError)` (or a subclass) that only probes the path, like `try`/`except
# OSError`: no finding
import contextlib
from contextlib import suppress


def readable(path):
    with contextlib.suppress(FileNotFoundError, PermissionError):
        open(path)
        return True
    return False


def creatable(path):
    with suppress(OSError):
        f = open(path, "x")
    return path
