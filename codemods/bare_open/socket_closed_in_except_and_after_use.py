# a socket the code closes in an `except` that returns and again after its use: closed on every path but one (an
# exception between), so not a hand-over: one `with` around the whole use, the code's closes in the handler stay
import socket


def probe(address, payload):
    sock = socket.socket()
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        return False
    sock.sendall(payload)
    sock.close()
    return True
