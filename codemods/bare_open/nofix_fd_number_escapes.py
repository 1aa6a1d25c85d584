# the descriptor number from `fileno()` handed to something that may keep it (a message to send, `os.fdopen`,
# `socket.socket(fileno=...)`), stored, or returned: closing at the block's end would close it under its keeper
import os
import socket

from channel import SendFD


def hand_over(channel, path):
    sock = socket.create_connection(("localhost", 8000))
    channel.send(SendFD(sock.fileno()))
    sock.close()
    f = open(path, "rb")
    raw = os.fdopen(f.fileno(), "rb", closefd=False)
    data = raw.read()
    f.close()
    return data


def keep(self, path):
    f = open(path)
    self.fds = [f.fileno()]
    f.close()
    sock0 = socket.socket()
    sock = socket.socket(fileno=sock0.fileno())
    sock0.close()
    return sock
