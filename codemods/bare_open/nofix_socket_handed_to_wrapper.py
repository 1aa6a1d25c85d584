# `wrap_socket(sock)` hands the socket to the SSL socket it returns: that one must not outlive the block
import socket


def connect(host, wrap_socket):
    sock = socket.socket()
    ssock = wrap_socket(sock)
    ssock.connect((host, 443))
    return ssock
