# a bound method taken from the object (`select = selector.select`) holds it: the block covers the method's uses too
import selectors


def wait_writable(fd, timeout):
    if hasattr(selectors, "EpollSelector"):
        selector = selectors.EpollSelector()
    else:
        selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_WRITE)
    select = selector.select
    try:
        while not select(timeout):
            pass
    finally:
        print("done")
