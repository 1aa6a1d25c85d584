# a function of the module that closes what it is given, but not before something else it runs can raise, not on
# every path, not at all when not awaited, or (a generator) not when the loop that runs it is left early: the call
# is no close of its own; the file gets a `with`
import contextlib
import os
import tarfile


def _lines(f):
    for line in f:
        yield line
    f.close()


def first_comment(path):
    f = open(path)
    for line in _lines(f):
        if line.startswith("#"):
            return line
    return None


def _maybe_close(f, keep):
    if not keep:
        f.close()


def touch(path, keep):
    f = open(path, "a")
    _maybe_close(f, keep)


async def _aclose(f):
    f.close()


def touch_async(path):
    f = open(path, "a")
    _aclose(f)


def _finish(f):
    data = f.read()
    f.close()
    return data


def load(path):
    f = open(path)
    _finish(f)


def _members(tar, dest):
    os.makedirs(dest)
    with contextlib.closing(tar):
        for m in tar:
            yield m


def unpack(filename, dest):
    tar = tarfile.open(filename)
    for m in _members(tar, dest):
        tar.extract(m, dest)
