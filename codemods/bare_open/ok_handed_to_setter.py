# handed over for keeps, to an owner that closes it: a setter (`set_socket`, `setByteStream`), a base class's
# `__init__`, an asyncio `sock=`: no finding
import asyncio
import dbm
import socket


class Dispatcher:
    def create_socket(self):
        sock = socket.socket()
        sock.setblocking(False)
        self.set_socket(sock)


class Shelf:
    def __init__(self, filename):
        Base.__init__(self, dbm.open(filename, "c"))


async def serve(proto):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    return await asyncio.get_running_loop().create_server(proto, sock=srv)


def source_for(path, source):
    f = open(path, "rb")
    source.setByteStream(f)
    return source
