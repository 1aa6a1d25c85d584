# unittest assertions and fcntl only look at the file: the fix is safe
import fcntl
import unittest


class T(unittest.TestCase):
    def test_lock(self):
        f = open(__file__)
        self.assertIsInstance(f.name, str)
        fcntl.lockf(f, fcntl.LOCK_SH)
        self.assertFalse(f.closed)
        f.close()
