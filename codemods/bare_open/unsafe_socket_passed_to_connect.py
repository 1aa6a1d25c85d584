# a socket's `connect` takes an address: `proactor.connect(sock, addr)` is an unseen callee, not a registration
import socket


def probe(proactor, addr):
    sock = socket.socket(type=socket.SOCK_DGRAM)
    proactor.connect(sock, addr)
    sock.close()
