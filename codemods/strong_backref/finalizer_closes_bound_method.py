# `close()` drops the bound method, but `__del__` calls `close()`: the class expects to be dropped unclosed, and the
# cycle would keep `__del__` from running on the last reference. Fixed.
class Writer:
    def __init__(self, f):
        self._file = f
        self._convert = self._to_upper

    def __del__(self):
        if self._file:
            self.close()

    def _to_upper(self, data):
        return data.upper()

    def write(self, data):
        self._file.write(self._convert(data))

    def close(self):
        self._convert = None
        self._file = None


def open_writer(f):
    return Writer(f)
