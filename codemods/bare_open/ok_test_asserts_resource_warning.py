# a test that asserts on `ResourceWarning` leaks the file on purpose: left alone
import gc
import unittest


class T(unittest.TestCase):
    def test_unclosed_file_warns(self):
        with self.assertWarns(ResourceWarning):
            f = open(__file__)
            del f
            gc.collect()
