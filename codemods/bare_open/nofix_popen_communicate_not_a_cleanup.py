# `p.communicate` handed to `assertRaises` with a timeout, or registered only under an `if`: the process is not
# known to be finished; reported
import subprocess
import sys
import unittest


class T(unittest.TestCase):
    def test_timeout(self):
        p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"], stdout=subprocess.PIPE)
        self.assertRaises(subprocess.TimeoutExpired, p.communicate, timeout=0.1)
        p.kill()



def start(cmd, cleanups, keep):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    if keep:
        cleanups.append(p.communicate)
    return p.stdout.readline()
