# The owner keeps the child only while a block runs and restores the attribute after: no lasting cycle, untouched.
import contextlib


class _SubTest:
    def __init__(self, test_case, params):
        self.test_case = test_case
        self.params = params


class TestCase:
    _subtest = None

    @contextlib.contextmanager
    def subTest(self, **params):
        parent = self._subtest
        self._subtest = _SubTest(self, params)
        try:
            yield
        finally:
            self._subtest = parent
