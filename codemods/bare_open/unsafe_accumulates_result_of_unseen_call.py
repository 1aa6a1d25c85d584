# `data += await loop.sock_recv(sock, n)` adds what the call returned, not the socket: the socket is still this
# function's to close, and it leaks if a receive raises
import socket


async def fetch(loop, address):
    sock = socket.socket()
    sock.setblocking(False)
    await loop.sock_connect(sock, address)
    data = b""
    while len(data) < 10:
        data += await loop.sock_recv(sock, 10)
    sock.close()
    return data
