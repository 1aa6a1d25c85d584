# A method of a class of this module, called through the class, that reads and closes the file it is given.
import os
import unittest


class Roundtrip(unittest.TestCase):
    def check(self, f):
        if isinstance(f, str):
            code = f.encode()
        else:
            code = f.read()
            f.close()
        self.assertTrue(code)


class Pep263(unittest.TestCase):
    def _test_file(self, name):
        path = os.path.join(os.path.dirname(__file__), name)
        Roundtrip.check(self, open(path, "rb"))
