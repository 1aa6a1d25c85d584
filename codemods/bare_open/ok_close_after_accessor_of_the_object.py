# a no-argument accessor of the fresh object (`cursor()`, `fileno()`, `getsockname()`) cannot raise before the
# close: no finding
import socket
import sqlite3


def closed_cursor():
    con = sqlite3.connect(":memory:")
    cur = con.cursor()
    con.close()
    return cur


def stale_fd():
    sock = socket.socket()
    fd = sock.fileno()
    addr = sock.getsockname()
    sock.close()
    return fd, addr
