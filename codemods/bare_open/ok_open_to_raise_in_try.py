# `open(p)` alone in a `try` whose handler catches its error and leaves: it only tests that the file opens
def can_read(path):
    try:
        open(path)
    except OSError:
        return False
    return True
