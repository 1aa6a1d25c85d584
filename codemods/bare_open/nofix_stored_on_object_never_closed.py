# stored on an attribute of another object that no code of the project closes: reported, and the reason says so
import socket


def serve(server, address):
    server.listener = socket.socket()
    server.listener.bind(address)
    server.run()


class Archive:
    def __init__(self, path):
        self._obj = open(path, "rb")

    def names(self):
        return self._obj.read().split()
