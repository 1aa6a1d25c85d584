# an annotated handle: a `with` target cannot carry the annotation
from typing import IO


def read(path):
    f: IO[str] = open(path)
    data = f.read()
    f.close()
    return data
