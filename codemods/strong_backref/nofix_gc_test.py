# The module drives the cyclic collector: its cycles are likely what it tests. Reported without a fix.
import gc


class Cyclic:
    def __init__(self):
        self.me = self


def test_collects():
    Cyclic()
    assert gc.collect() > 0
