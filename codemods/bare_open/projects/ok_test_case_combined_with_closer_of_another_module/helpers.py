# a test case whose tearDown closes `self.con`, imported by another module and combined with the class that opens it
import unittest


class DBTestCase(unittest.TestCase):
    def tearDown(self):
        self.con.close()
