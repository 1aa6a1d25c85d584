# a process's pipe closed through another name bound to it (`f = p.stdout`, `stdin = cast(TextIO, c.stdin)`), and
# the process waited for in a `finally:` (also in a loop left only after `wait()` returns): finished on every
# path; not reported
import contextlib
import subprocess
import typing as t
import unittest


@contextlib.contextmanager
def pager(cmd):
    c = subprocess.Popen(cmd, stdin=subprocess.PIPE, text=True)
    stdin = t.cast(t.TextIO, c.stdin)
    try:
        yield stdin
    except BrokenPipeError:
        pass
    finally:
        try:
            stdin.close()
        except BrokenPipeError:
            pass
        while True:
            try:
                c.wait()
            except KeyboardInterrupt:
                pass
            else:
                break


class T(unittest.TestCase):
    def test_unbuffered(self):
        p = subprocess.Popen(["echo", "apple"], stdout=subprocess.PIPE, bufsize=0)
        f = p.stdout
        self.addCleanup(f.close)
        try:
            self.assertEqual(f.read(4), b"appl")
        finally:
            p.wait()
