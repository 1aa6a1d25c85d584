# the close follows the open with only statements that cannot raise between: `try` blocks one of whose handlers
# catches everything, every handler only `pass`es, and whose body neither leaves nor rebinds the name; not reported
# (the object is closed on every path)
import mmap


def resize_to_zero(fd):
    m = mmap.mmap(fd, 0)
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
