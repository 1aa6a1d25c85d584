# the code closes the file inside the `try` it opens before: a `with` would wrap the whole `try` and keep the close
# in its middle, so the finding is reported for a hand-written fix
import os


def test_file(path, check):
    f = open(path, "w")
    try:
        f.write("hi there\n")
        f.close()
        check(path)
    finally:
        os.remove(path)
