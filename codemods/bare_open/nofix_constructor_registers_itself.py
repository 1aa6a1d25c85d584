# an object built and dropped whose class hands `self` to something that keeps it (a registry, an event loop): it
# keeps the socket for later use, so no fix (`constructor_dropped_keeps_nothing`: a class that keeps nothing)
import socket

_streams = []


class Stream:
    def __init__(self, sock):
        self.sock = sock
        _streams.append(self)


def serve(address, on_ready):
    conn = socket.create_connection(address)
    conn.setblocking(False)
    Stream(conn)
    on_ready()
