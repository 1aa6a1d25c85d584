# a method of the class keeps the file on `self`, and the class's `close()` closes it: handed over, no finding
class Reader:
    def __init__(self, f):
        if isinstance(f, str):
            f = open(f, "rb")
            self._opened = True
        else:
            self._opened = False
        self.initfp(f)

    def initfp(self, file):
        self._file = file
        self._header = file.read(4)

    def close(self):
        if self._opened and self._file:
            self._file.close()
        self._file = None
