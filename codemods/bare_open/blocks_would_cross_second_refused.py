# a map opened on a file's descriptor and used after the code closes the file: the file's `with` block would end
# inside the map's, and two `with` blocks cannot cross, so the map is reported without a fix (`--check` says what
# the run does), the file still gets its block
import mmap


def resize(path):
    f = open(path, "r+b")
    m = mmap.mmap(f.fileno(), 0)
    f.close()
    m.resize(0)
    m.close()
