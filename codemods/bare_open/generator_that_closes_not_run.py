# a generator that would close the archive only when it runs to its end: kept in a name and advanced once, or
# handed to a helper that keeps the archive, it is no closer: the archive is the code's to close (unsafe fixes)
import contextlib
import tarfile

_seen = []


def _members(tar):
    with contextlib.closing(tar):
        yield from tar


def _remember(tar, member):
    _seen.append(tar)
    return member


def _kept(tar):
    with contextlib.closing(tar):
        for member in tar:
            yield _remember(tar, member)


def first_member(filename):
    tar = tarfile.open(filename)
    members = _members(tar)
    return next(members).name


def names(filename):
    tar = tarfile.open(filename)
    for member in _kept(tar):
        print(member.name)
