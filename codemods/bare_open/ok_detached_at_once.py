# a socket whose descriptor is taken out at once holds nothing: no finding
import os
import socket


def high_fd():
    fd = socket.socket().detach()
    while fd < 50:
        fd = os.dup(fd)
    return fd
