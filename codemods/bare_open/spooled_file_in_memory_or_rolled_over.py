# a SpooledTemporaryFile that never outgrows `max_size` (or has none) and is never forced to roll over stays a buffer
# in memory: nothing to report; the one truncated beyond the limit becomes a real file and is reported
import tempfile


def test_truncate():
    f = tempfile.SpooledTemporaryFile(max_size=10)
    f.write(b"abcdefg\n")
    f.truncate(4)
    assert not f._rolled
    f = tempfile.SpooledTemporaryFile()
    f.write(b"x" * 100)
    f = tempfile.SpooledTemporaryFile(max_size=10)
    f.write(b"abcdefg\n")
    f.truncate(20)
    assert f._rolled
