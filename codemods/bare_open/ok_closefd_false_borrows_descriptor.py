# An object opened with closefd=False borrows a descriptor its caller owns: nothing to close, no finding.
import os


def write_through(fd, text):
    out = open(fd, "w", closefd=False)
    out.write(text)
    out.flush()


def read_from(fd):
    stream = os.fdopen(fd, "rb", closefd=False)
    return stream.read()
