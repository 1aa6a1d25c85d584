# a method of the class keeps the file on `self`, and nothing closes that attribute: reported, without a fix
class Reader:
    def __init__(self, path):
        f = open(path, "rb")
        self.setup(f)

    def setup(self, stream):
        self._stream_kept = stream

    def header(self):
        return self._stream_kept.read(4)
