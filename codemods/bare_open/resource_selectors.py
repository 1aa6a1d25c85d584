# `selectors.DefaultSelector`: `with`
import selectors


def wait_readable(sock, timeout):
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    ready = selector.select(timeout)
    selector.close()
    return bool(ready)
