# open(p) alone as a statement, nothing after it on the line
import unittest


class T(unittest.TestCase):
    def test_missing(self):
        with self.assertRaises(FileNotFoundError):
            open("/nonexistent/pyfix")
