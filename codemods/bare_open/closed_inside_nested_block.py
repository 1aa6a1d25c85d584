# the code closes the file inside the `try` it opens before: one `with` around the whole use, the code's own close
# stays where it is (every path keeps its order), and the block closes on the paths that do not reach it
import os


def test_file(path, check):
    f = open(path, "w")
    try:
        f.write("hi there\n")
        f.close()
        check(path)
    finally:
        os.remove(path)
