# a private class (`_Reader`) built on the handle is returned: the caller reads the file later
import io


def open_tracked(path, progress):
    handle = io.open(path, "rb")
    reader = _Reader(handle, progress)
    return io.TextIOWrapper(reader)


class _Reader(io.RawIOBase):
    def __init__(self, handle, progress):
        self.handle = handle
        self.progress = progress
