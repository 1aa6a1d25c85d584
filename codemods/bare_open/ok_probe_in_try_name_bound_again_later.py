# `m = mmap.mmap(...)` in a `try` whose handler expects the error, and `m` not used before it is bound again later:
# the statement only tests that the call raises (the test fails otherwise); not reported
import mmap


def test_offset(self, f, mapsize, halfsize):
    for offset in [-2, -1, None]:
        try:
            m = mmap.mmap(f.fileno(), mapsize, offset=offset)
            self.assertEqual(0, 1)
        except (ValueError, TypeError, OverflowError):
            pass
        else:
            self.assertEqual(0, 0)
    m = mmap.mmap(f.fileno(), mapsize - halfsize, offset=halfsize)
    try:
        self.assertEqual(m[0:3], b"foo")
    finally:
        m.close()
