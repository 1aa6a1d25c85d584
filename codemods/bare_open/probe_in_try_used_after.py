# an open in a `try` whose handler expects an error, but whose object the code uses after the `try` (the probe
# may succeed and its object is kept): reported
import mmap


def map_or_none(fd, size):
    try:
        m = mmap.mmap(fd, size)
    except ValueError:
        return None
    data = m[:10]
    return data
