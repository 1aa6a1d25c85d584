# a socket handed to code pyfix cannot see whose result is kept (`asyncore.dispatcher(sock)`) moves into that
# result: inline, the result owns it (no finding); named and the result returned, still reported without a fix
import asyncore
import socket


def reuse_addr(family):
    s = asyncore.dispatcher(socket.socket(family))
    return s.socket.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)


def dispatcher_for(family, addr):
    sock = socket.socket(family)
    d = asyncore.dispatcher(sock)
    d.connect(addr)
    return d
