# `typing.cast(T, x)` is `x` itself: the temporary file is `stream`, which the function returns: no finding
import tempfile
import typing as t


def spool(data):
    stream = t.cast(t.IO[bytes], tempfile.TemporaryFile("wb+"))
    stream.write(data)
    stream.seek(0)
    return stream
