# a method of the class keeps the file on `self` only when asked: pyfix sees it keep the file, so no `with` (it
# would close a file the object may still use); reported, without a fix
class Reader:
    def __init__(self, path, keep):
        f = open(path, "rb")
        self.initfp(f, keep)

    def initfp(self, file, keep):
        if keep:
            self._file = file
        self._header = file.read(4)

    def close(self):
        self._file.close()
