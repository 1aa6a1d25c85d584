# `TemporaryDirectory` whose path outlives the function (stored on `self`) and is never cleaned up here: no fix
import pathlib
import tempfile


class Fixture:
    def setup(self):
        tmpdir = tempfile.TemporaryDirectory()
        self.tmpdir = pathlib.Path(tmpdir.name)
        self.keep = tmpdir.name
