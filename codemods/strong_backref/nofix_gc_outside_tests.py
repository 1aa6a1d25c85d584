# `gc.collect()` outside test code says nothing about the cycle: still reported (here without a fix: `me` is public).
import gc


class Cyclic:
    def __init__(self):
        self.me = self


def test_collects():
    Cyclic()
    assert gc.collect() > 0
