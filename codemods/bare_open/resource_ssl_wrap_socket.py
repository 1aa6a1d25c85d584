# a socket wrapped by `ssl.create_default_context().wrap_socket()`: `with` on the wrapped socket
import socket
import ssl


def peer_cert(host):
    ctx = ssl.create_default_context()
    raw = socket.create_connection((host, 443))
    ssock = ctx.wrap_socket(raw, server_hostname=host)
    cert = ssock.getpeercert()
    ssock.close()
    return cert
