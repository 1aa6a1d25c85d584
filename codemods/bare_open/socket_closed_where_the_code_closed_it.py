# the code closes `sock0` before the test's real work: the block ends there, and `sock.detach` handed to cleanup
# means the test owns `sock`'s descriptor
import socket
import unittest


class T(unittest.TestCase):
    def test_free_port(self):
        sock0 = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
        sock0.bind(("localhost", 0))
        port = sock0.getsockname()[1]
        sock0.close()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
        self.addCleanup(sock.detach)

        with self.assertRaises(OSError):
            sock.connect(("localhost", port))
