# the name is bound again later, first thing in a `try` body inside an `if` of the enclosing block (its handlers do
# not mention it): the uses from there on are another map's, the first map gets its `with`
import mmap


def copy_on_write(path, size, posix):
    with open(path, "r+b") as f:
        m = mmap.mmap(f.fileno(), size, access=mmap.ACCESS_COPY)
        m[:] = b"d" * size
        m.close()
    if posix:
        with open(path, "r+b") as f:
            try:
                m = mmap.mmap(f.fileno(), size, prot=mmap.PROT_READ)
            except PermissionError:
                pass
            else:
                m.close()
