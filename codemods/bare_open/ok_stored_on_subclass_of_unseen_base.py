# stored on `self` in a class whose base pyfix does not read (`HTTPConnection.close()` closes `self.sock`): no finding
import http.client
import socket


class UnixSocketHTTPConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.host)
