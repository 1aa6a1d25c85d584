# `drain` comes from pkg/_impl.py through pkg/__init__.py, and closes what it is given: no finding
from pkg import drain


def load(p):
    return drain(open(p))
