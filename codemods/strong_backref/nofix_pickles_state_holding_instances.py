# The module pickles another class's state, but a `Reader` hands itself out (`opened.append(self)`): it may be in
# what is pickled, and a weak reference cannot be pickled. No fix.
import pickle


class Reader:
    def __init__(self, stream, opened):
        self._stream = stream
        self._convert = self._inflate
        opened.append(self)

    def _inflate(self, data):
        return data

    def read(self):
        return self._convert(self._stream.read())

    def close(self):
        self._stream.close()


class Session:
    def __init__(self):
        self.opened = []

    def save(self, path):
        with open(path, "wb") as f:
            pickle.dump({"opened": self.opened}, f)
