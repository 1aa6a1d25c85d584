# a chained assignment whose targets include an attribute of `self` that the class closes: the object owns it
import socket
import unittest


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.cli = sock = socket.create_connection(("localhost", 8000))
        sock.settimeout(1)

    def tearDown(self):
        self.cli.close()
