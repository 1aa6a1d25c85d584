# a function of this module that only closes what it is given (`_close_quietly(f)`) is the code's own close, not an
# escape: "not closed if an exception is raised before it", with a safe fix (the helper still runs in the block)
import contextlib


def _close_quietly(f):
    try:
        f.close()
    except OSError:
        pass


def _drain(f):
    with contextlib.closing(f):
        return f.read()


def read(path):
    f = open(path)
    header = f.readline()
    _close_quietly(f)
    return header


def read_all(path):
    f = open(path)
    f.seek(0)
    return _drain(f)
