# a socket handed to code pyfix cannot see whose result is kept (`asyncore.dispatcher(sock)`) usually moves into
# that result: no fix, inline or named
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
