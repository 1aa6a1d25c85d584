# the code runs the context protocol itself (`p = p.__enter__()`, then `p.__exit__` handed to a callee that calls
# it): managed, as in a `with`, for a kind whose `__exit__` closes it; not reported
import subprocess
import unittest


class T(unittest.TestCase):
    def test_broken_pipe(self):
        proc = subprocess.Popen(["true"], stdin=subprocess.PIPE)
        proc = proc.__enter__()
        proc.stdin.write(b"x" * 100000)
        self.assertRaises(OSError, proc.__exit__, None, None, None)
        self.assertEqual(proc.returncode, 0)

