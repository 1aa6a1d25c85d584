# bound again in a `try` body whose handler does not leave, then used after the `try`: that use may be the first
# map's (when the body failed), so the first map is used after its block: no fix
import mmap


def remap(path, size):
    with open(path, "r+b") as f:
        m = mmap.mmap(f.fileno(), size)
        m[:] = b"x" * size
    with open(path, "r+b") as f:
        try:
            m = mmap.mmap(f.fileno(), size + 1)
        except ValueError:
            pass
        m.close()
