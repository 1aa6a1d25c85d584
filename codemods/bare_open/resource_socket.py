# `socket.socket()` (through `import socket as s`): `__exit__` closes it, so `with`
import socket as s


def ping(host, port):
    sock = s.socket(s.AF_INET, s.SOCK_STREAM)
    sock.connect((host, port))
    sock.sendall(b"ping")
    reply = sock.recv(4)
    sock.close()
    return reply
