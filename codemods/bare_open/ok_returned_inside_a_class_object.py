# a function that returns an object of a class built on what it opened (`return Stream(sock, ...)`, a wrapper by
# its name: `return _wrap_close(proc.stdout, proc)`) hands both to its caller: no finding (a plain function's
# result is not: `nofix_returned_on_one_path_only`)
import socket
import subprocess

from clients import ThreadedClient


def client(address, timeout):
    sock = socket.socket()
    sock.settimeout(timeout)
    return ThreadedClient(sock, timeout)


def popen(cmd):
    proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE)
    return _wrap_close(proc.stdout, proc)


def parse(path, parser):
    stream = open(path, "rb")
    return EventStream(stream, parser)
