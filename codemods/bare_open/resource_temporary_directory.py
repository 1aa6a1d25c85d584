# `TemporaryDirectory`: `with` would bind its path, so the name stays and `with tmpdir:` covers its uses
import os
import tempfile


def scratch_listing(make_files):
    tmpdir = tempfile.TemporaryDirectory()
    make_files(tmpdir.name)
    listing = sorted(os.listdir(tmpdir.name))
    tmpdir.cleanup()
    return listing
