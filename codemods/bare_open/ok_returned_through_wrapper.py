# opened in a branch, wrapped under its own name, then returned: the caller owns the wrapper, no finding
import bz2
import gzip
import io


def hook_compressed(filename, mode):
    if filename.endswith(".gz"):
        stream = gzip.open(filename, mode)
    elif filename.endswith(".bz2"):
        stream = bz2.BZ2File(filename, mode)
    else:
        return open(filename, mode)
    if "b" not in mode:
        stream = io.TextIOWrapper(stream, encoding="utf-8")
    return stream
