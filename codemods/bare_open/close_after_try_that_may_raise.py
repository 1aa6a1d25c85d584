# the close follows a `try` that does not swallow every error (a narrow handler, a handler that does something,
# a body that returns or rebinds the name): an error can still skip the close; reported, and fixed where the name
# is not rebound
import mmap


def narrow_handler(fd):
    m = mmap.mmap(fd, 100)
    try:
        m.resize(0)
    except ValueError:
        pass
    m.close()


def handler_logs(fd, log):
    m = mmap.mmap(fd, 100)
    try:
        m.resize(0)
    except Exception:
        log("cannot resize")
    m.close()


def body_returns(fd):
    m = mmap.mmap(fd, 100)
    try:
        if m.size() > 10:
            return 1
    except Exception:
        pass
    m.close()


def body_rebinds(fd):
    m = mmap.mmap(fd, 100)
    try:
        m = mmap.mmap(fd, 200)
    except Exception:
        pass
    m.close()
