# Path.open on a name bound to Path(...) in the same function, and on Path(...) itself
from pathlib import Path


def sizes(root):
    p = Path(root) / "a.txt"
    q = Path(root)
    fh = q.open()
    n = len(fh.read())
    m = len(Path(root, "b.txt").open().read())
    return n, m
