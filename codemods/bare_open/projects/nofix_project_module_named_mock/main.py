# `mock.patch` is trusted to let errors go on only where `mock` is the library, not a module of the project: here a
# rebinding inside it may not run, so the later read may be of the first file.
import mock


def load(p, q, s):
    f = open(p)
    head = f.readline()
    with mock.patch("x"):
        n = int(s)
        f = open(q)
    return head, n, f.read()
