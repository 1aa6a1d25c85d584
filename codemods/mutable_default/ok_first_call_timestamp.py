# a list filled only while it is empty (`if not x: x.append(...)`) holds one entry at most: no finding
import time


def uptime(load_time=[]):
    if not load_time:
        load_time.append(time.monotonic())
    return time.monotonic() - load_time[0]
