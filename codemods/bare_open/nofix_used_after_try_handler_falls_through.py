# the handler falls through: after the try `f` may be unbound, so pyfix does not add `with f:` there
import sys


def load(path):
    try:
        f = open(path)
    except OSError:
        print("cannot open", path, file=sys.stderr)
    data = f.read()
    f.close()
    return data
