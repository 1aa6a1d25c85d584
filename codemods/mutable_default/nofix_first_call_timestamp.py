# a list filled only while it is empty (`if not x: x.append(...)`) is a first-call initialisation: reported only
import time


def uptime(load_time=[]):
    if not load_time:
        load_time.append(time.monotonic())
    return time.monotonic() - load_time[0]
