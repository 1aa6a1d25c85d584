# an object opened for nothing in a `try` whose handlers expect the error (none fails the test or raises): a probe
# that the open raises, no finding (`nofix_open_expected_to_succeed_in_try` keeps its finding)
import zipfile


def test_bad_zip(path):
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        pass
