# a handler that fails the test says the open should succeed: the object, never used, leaks; reported
import unittest
import zipfile


class T(unittest.TestCase):
    def test_empty(self, path):
        try:
            zipf = zipfile.ZipFile(path, mode="r")
        except zipfile.BadZipFile:
            self.fail("Unable to read the archive")
