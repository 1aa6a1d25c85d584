# `f = typing.cast(IO[str], open(p))`: `f` is the file itself, closed only on the normal path; reported without a
# fix (the `with` would have to keep the cast)
import typing


def first_line(path):
    f = typing.cast(typing.IO[str], open(path))
    line = f.readline()
    f.close()
    return line
