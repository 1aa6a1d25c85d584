# already managed by with, directly or through closing()
from contextlib import closing


def read(path):
    with open(path) as f:
        data = f.read()
    with closing(open(path)) as g:
        data += g.read()
    return data
