# the close follows the open with only statements that cannot raise between: another object's `close()`, and
# `try` blocks whose handler swallows every error (`except: pass`) and whose body neither leaves nor rebinds the
# name; not reported (the object is closed on every path)
import mmap


def resize_to_zero(f):
    m = mmap.mmap(f.fileno(), 0)
    f.close()
    try:
        m.resize(0)
    except:
        pass
    try:
        m[:]
    except Exception:
        pass
    m.close()


def tagged(fd, tagname):
    m = mmap.mmap(fd, 1000, tagname=tagname)
    try:
        mmap.mmap(-1, 5000, tagname=tagname)[:]
    except BaseException:
        pass
    m.close()
