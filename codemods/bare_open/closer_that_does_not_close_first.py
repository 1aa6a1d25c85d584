# a helper that closes what it is given, but not before something it runs first can raise: a `with` whose first item
# opens something else, an attribute store (a socket has `__slots__`, a file's `name` is read-only), or a decorator
# that may not call it; a generator that stores an attribute on it before its `with closing(tar):`: the call is no
# close of its own; the object gets a `with`
import contextlib
import functools
import socket
import tarfile
from contextlib import closing


def _close_with_other_item_first(f, log):
    with open(log, "a") as out, closing(f):
        out.write("closing\n")


def touch_with_other_item_first(path, log):
    f = open(path)
    _close_with_other_item_first(f, log)


def _close_after_slot_store(sock):
    sock.tag = None
    sock.close()


def probe_after_slot_store(host):
    s = socket.socket()
    _close_after_slot_store(s)


def _close_after_name_store(f):
    """Close f."""
    f.name = None
    f.close()


def touch_after_name_store(path):
    f = open(path, "a")
    _close_after_name_store(f)


def later_decorated(fn):
    @functools.wraps(fn)
    def inner(*a):
        return lambda: fn(*a)
    return inner


@later_decorated
def _close_decorated(f):
    f.close()


def touch_decorated(path):
    f = open(path, "a")
    _close_decorated(f)


def _members(tar, dest):
    tar.chown = lambda *args: None
    with contextlib.closing(tar):
        for member in tar:
            yield member, dest + "/" + member.name


def unpack(filename, dest):
    tar = tarfile.open(filename)
    for member, target in _members(tar, dest):
        tar._extract_member(member, target)
