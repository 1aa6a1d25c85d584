# the descriptor number used where it stands (`os.fstat`, `fcntl.flock`, `mmap.mmap`, an assertion): not an escape,
# the file gets its `with`
import fcntl
import os


def size(path):
    f = open(path, "rb")
    fcntl.flock(f.fileno(), fcntl.LOCK_SH)
    n = os.fstat(f.fileno()).st_size
    f.close()
    return n
