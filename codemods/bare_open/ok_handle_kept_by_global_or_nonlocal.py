# the handle bound to a `global`/`nonlocal` name (`log = f`, `stream = f`, `global logfp; logfp = open(...)`) and
# never closed here: the module, which closes that name elsewhere (`stop()`, `closelog()`), or the enclosing
# function, which returns it on every path, owns it from there; no finding
import io
import tempfile
import typing as t


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


log = None
logfp = None


def start(path):
    global log
    f = open(path, "a")
    f.write("start\n")
    log = f


def initlog(path):
    global logfp
    if not logfp:
        try:
            logfp = open(path, "a", encoding="locale")
        except OSError:
            pass


def stop():
    log.close()


def closelog():
    global logfp
    if logfp:
        logfp.close()
    logfp = None
