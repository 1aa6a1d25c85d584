# a `TemporaryDirectory` whose `cleanup` is handed to `addCleanup` is managed: not reported
import pathlib
import tempfile
import unittest


class T(unittest.TestCase):
    def setUp(self):
        tmpdir = tempfile.TemporaryDirectory()
        self.addCleanup(tmpdir.cleanup)
        self.tmpdir = pathlib.Path(tmpdir.name)
