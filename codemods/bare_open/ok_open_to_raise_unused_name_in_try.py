# `f = open(p)` in a `try` whose handler checks the error, `f` never used: the statement only tests that it raises
import errno


def test_immutable(self, target_file):
    try:
        fd = open(target_file, "w+")
    except OSError as e:
        self.assertEqual(e.errno, errno.EPERM)
