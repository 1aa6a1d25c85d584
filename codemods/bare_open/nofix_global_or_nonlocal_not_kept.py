# a handle bound to a `global`/`nonlocal` name that its home does not keep: a global reopened in a loop, bound again
# while it holds a file (no `if not log:` around the open), or that no code of the module closes; a nonlocal (what
# the enclosing function does with it is not followed: it may drop it, as here, or return it, as in `outer` and
# `spill`); reported without a fix
import io
import tempfile
import typing as t
log = None


def reopen_all(paths):
    global log
    for p in paths:
        log = open(p, "a")
        log.write("start\n")


def rotate(path):
    global log
    log = open(path, "a")


def write(line):
    log.write(line)


def count_lines(path):
    f = None

    def opener():
        nonlocal f
        f = open(path)

    opener()
    return sum(1 for _ in f)


def spool(chunks, limit):
    stream = None

    def write(s):
        nonlocal stream
        if stream is None:
            stream = open("/tmp/spool", "wb+")
        stream.write(s)

    for c in chunks:
        write(c)
    if limit and stream.tell() > limit:
        return None
    return stream


def outer(data):
    stream = io.BytesIO()

    def write(s):
        nonlocal stream
        f = open("x", "wb")
        f.write(s)
        stream = f

    write(data)
    return stream


def spill(chunks, threshold=1024):
    stream: t.IO[bytes] = io.BytesIO()
    on_disk = False

    def write(s):
        nonlocal stream, on_disk
        if not on_disk and stream.tell() + len(s) > threshold:
            new_stream = t.cast(t.IO[bytes], tempfile.TemporaryFile("wb+"))
            new_stream.write(stream.getvalue())
            stream = new_stream
            on_disk = True
        stream.write(s)

    for c in chunks:
        write(c)
    stream.seek(0)
    return stream


out = None


def start_quiet(p, quiet):
    # opened under `if not out:`, but the function binds the name again (and drops the file)
    global out
    if not out:
        out = open(p, "a")
    if quiet:
        out = None


def stop():
    out.close()
