# the archive handed to a generator of this module that closes it (`with contextlib.closing(tar):`), run by the
# `for` loop that calls it: the loop runs it to its end, or drops it (which closes the archive) when left early;
# `_resolve(tar, member)` only reads it; no finding
import contextlib
import tarfile


def _resolve(tar, member):
    while member is not None and member.issym():
        member = tar.getmember(member.linkname)
    return member


def _members(tar, dest):
    with contextlib.closing(tar):
        for member in tar:
            member = _resolve(tar, member)
            yield member, dest + "/" + member.name


def unpack(filename, dest):
    try:
        tar = tarfile.open(filename)
    except tarfile.TarError as e:
        raise ValueError(f"{filename} is not a tar file") from e
    for member, target in _members(tar, dest):
        tar._extract_member(member, target)
    return True


def _lines(f):
    with contextlib.closing(f):
        yield from f


def count(path):
    f = open(path)
    n = 0
    for line in _lines(f):
        n += 1
    return n
