# a connection handed to a constructor whose result is dropped (`SSLIOStream(conn)` alone): such an object
# registers itself with an event loop and keeps the connection, so no fix
import socket

from tornado.iostream import SSLIOStream


def serve(address, on_ready):
    conn = socket.create_connection(address)
    conn.setblocking(False)
    SSLIOStream(conn)
    on_ready()
