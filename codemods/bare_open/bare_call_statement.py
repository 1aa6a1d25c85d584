# open(p) alone as a statement (checking that the file opens): with ...: pass
import os


def check_readable(path):
    try:
        open(path)  # raises if unreadable
    except OSError:
        return False
    return os.path.getsize(path) > 0
