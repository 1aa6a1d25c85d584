# `data += await loop.sock_recv(sock, n)`: a name derived from the object, grown by more of what the object
# returns, is no rebinding; the block covers its uses (unsafe: `sock_connect` may keep the socket). Grown by
# something else inside a nested block, it still blocks the fix.
import socket


async def fetch(loop, address, n):
    sock = socket.socket()
    await loop.sock_connect(sock, address)
    data = await loop.sock_recv(sock, n)
    while data.find(b"\r\n\r\n") == -1:
        data += await loop.sock_recv(sock, n)
    headers = data[: data.index(b"\r\n\r\n") + 4]
    sock.close()
    return headers


async def padded(loop, address, n, pad):
    sock = socket.socket()
    await loop.sock_connect(sock, address)
    data = await loop.sock_recv(sock, n)
    while len(data) < n:
        data += pad()
    sock.close()
    return data
