# `sock.shutdown(how)` ends the connection but closes nothing, and a base class's `close` closes what the base
# stores, not what a subclass adds: still escapes (`ok_attribute_closed_by_base_class`: an executor's `shutdown()`)
import socket


class Client:
    def connect(self, address):
        self.sock = socket.create_connection(address)

    def stop(self):
        self.sock.shutdown(socket.SHUT_RDWR)


class Base:
    def close(self):
        self.conn.close()


class Listener(Base):
    def __init__(self, address):
        self.listening_sock = socket.socket()
        self.listening_sock.bind(address)
