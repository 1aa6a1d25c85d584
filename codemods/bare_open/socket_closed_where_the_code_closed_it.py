# the code closes `sock0` before the test's real work: the block ends there, and `sock.detach` handed to cleanup
# means the test owns `sock`'s descriptor
import socket
import unittest


class T(unittest.TestCase):
    def test_setblocking_invalidfd(self):
        sock0 = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0, sock0.fileno())
        sock0.close()
        self.addCleanup(sock.detach)

        with self.assertRaises(OSError):
            sock.setblocking(False)
