# a test base class's own `assert*` method (not one of unittest's, mock's or Django's) may keep what it is given
# (`assertEventually(cb)` calls it later): the fix is unsafe, as for any call pyfix cannot see into
import unittest

from helpers import PollingTestCase

LATER = []


class Base(unittest.TestCase):
    def assertEqual(self, a, b, msg=None):
        LATER.append(a)


class U(Base):
    def test_own_assert_equal(self):
        f = open(__file__)
        self.assertEqual(f.read, None)


class T(PollingTestCase):
    def test_read(self):
        f = open(__file__)
        self.assertEventually(f.read)

    def test_file(self):
        f = open(__file__)
        self.assertStillOpen(f)

