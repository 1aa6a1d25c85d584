# an open in a `try` whose handler expects an error, bound again later, but nothing after it fails the test where
# the open succeeds: its object may be left open; reported
import mmap


def writable(path):
    try:
        f = open(path, "a")
        x = 1
    except OSError:
        return False
    f = open(path)
    return f.read()


def map_then_rebind(fd, n):
    try:
        m = mmap.mmap(fd, n)
        log = 1
    except ValueError:
        pass
    m = mmap.mmap(fd, 2 * n)
    data = m[:]
    m.close()
    return data
