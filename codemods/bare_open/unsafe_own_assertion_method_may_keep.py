# a test base class's own `assert*` method (not one of unittest's, mock's or Django's) may keep what it is given
# (`assertEventually(cb)` calls it later): the fix is unsafe, as for any call pyfix cannot see into
from helpers import PollingTestCase


class T(PollingTestCase):
    def test_read(self):
        f = open(__file__)
        self.assertEventually(f.read)

    def test_file(self):
        f = open(__file__)
        self.assertStillOpen(f)

    def test_compared(self):
        f = open(__file__)
        self.assertEquals(f.read(1), "#")
