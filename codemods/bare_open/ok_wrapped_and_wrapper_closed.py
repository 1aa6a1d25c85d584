# an object handed first to a wrapper, known (`TextIOWrapper(f)`) or by its name (`wrap_socket(sock)`), whose
# result the code closes, registers the close of or uses in `with`: the wrapper closes (or takes the descriptor
# of) what it wraps, so no finding (`nofix_wrapped_and_wrapper_kept`: a wrapper the code never closes)
import io
import socket
import ssl


def test_wrap_socket(sock, **kwargs):
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).wrap_socket(sock, **kwargs)


def connect(self, address):
    s = test_wrap_socket(socket.socket(socket.AF_INET), server_hostname="localhost")
    self.addCleanup(s.close)
    return s.connect_ex(address)


def first_line(path):
    text = io.TextIOWrapper(open(path, "rb"), encoding="utf-8")
    line = text.readline()
    text.close()
    return line
