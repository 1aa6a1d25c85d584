# `self.addCleanup(p.communicate, b"")`: the test drains and closes the pipes and reaps the process at its end; not
# reported
import subprocess
import sys
import unittest


class T(unittest.TestCase):
    def test_pipe(self):
        p = subprocess.Popen([sys.executable, "-c", "input()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.addCleanup(p.communicate, b"")
        self.assertIsNotNone(p.stdin.fileno())
