# a handle whose name is bound again later, in a statement of an enclosing block that binds it before reading it
# (here in another handle's new `with`, before anything there reads it): both maps get a `with`, over two passes
import mmap


def same_tag(tag, data):
    m1 = mmap.mmap(-1, len(data), tagname=tag)
    m1[:] = data
    m2 = mmap.mmap(-1, len(data), tagname=tag)
    m2[:] = data
    m2.close()
    m1.close()
    m1 = mmap.mmap(-1, len(data), tagname=tag + "x")
    m1[:] = data
    m2 = mmap.mmap(-1, len(data), tagname=tag + "y")
    m2[:] = data
    m2.close()
    m1.close()
