# a function that returns what it opens hands it to its caller, which owns it: no finding
import socket


def open_log(path):
    return open(path, "a")


def connect(address):
    sock = socket.create_connection(address)
    sock.settimeout(5)
    return sock


def open_or_none(path):
    try:
        f = open(path)
    except OSError:
        return None
    f.seek(0)
    return f, path


def open_wrapped(path, File):
    return File(open(path, "rb")), path
