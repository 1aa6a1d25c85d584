# a bound method taken from the object (`select = selector.select`) holds it: the block covers the method's uses too
import selectors


def wait_writable(fd, timeout):
    if hasattr(selectors, "PollSelector"):
        selector = selectors.PollSelector()
    else:
        selector = selectors.SelectSelector()
    selector.register(fd, selectors.EVENT_WRITE)
    select = selector.select
    try:
        while not select(timeout):
            pass
    finally:
        print("done")
