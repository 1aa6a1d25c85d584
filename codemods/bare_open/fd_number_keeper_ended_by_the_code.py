# the descriptor number from `fileno()` given to a keeper the function itself ends (closed in the same expression,
# or a local name whose `detach`/`close` it calls or registers) while the code closes the object itself: the
# number's life is in view, so the object is fixed like any other (`nofix_fd_number_escapes`: a keeper out of view)
import socket


def close_twice(self):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    socket.socket(fileno=sock.fileno()).close()
    try:
        sock.close()
    except OSError:
        pass


def adopt(self):
    sock0 = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0, sock0.fileno())
    sock0.close()
    self.addCleanup(sock.detach)
    return sock.family
