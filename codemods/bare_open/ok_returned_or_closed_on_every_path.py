# every path from the open returns the object, closes it or raises: the caller owns it, no finding
import socket
import tempfile


def check_valid_file(fn, check):
    f = open(fn, "rb")
    if check is None:
        return f
    elif check(f):
        f.seek(0)
        return f
    f.close()


def tcp_client(family, timeout):
    sock = socket.socket(family, socket.SOCK_STREAM)
    if timeout is None:
        raise RuntimeError("timeout is required")
    sock.settimeout(timeout)
    return sock


def read_body(chunks):
    body = tempfile.SpooledTemporaryFile(max_size=1024, mode="w+b")
    for chunk in chunks:
        if chunk is None:
            body.close()
            raise ValueError("aborted")
        body.write(chunk)
    body.seek(0)
    return body
