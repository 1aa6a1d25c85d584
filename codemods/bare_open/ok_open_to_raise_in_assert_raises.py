# `open(p)` whose only purpose is to raise (in `assertRaises` or `pytest.raises`): nothing can leak
import unittest

import pytest


class T(unittest.TestCase):
    def test_missing(self):
        with self.assertRaises(FileNotFoundError):
            open("/no/such/file")


def test_directory():
    with pytest.raises(IsADirectoryError):
        open("/")
