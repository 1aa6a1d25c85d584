# an object handed to a wrapper by its name whose result the code never closes: reported, no fix
# (`ok_wrapped_and_wrapper_closed`)
import socket
import ssl


def test_wrap_socket(sock, **kwargs):
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).wrap_socket(sock, **kwargs)


def connect(address):
    s = test_wrap_socket(socket.socket(socket.AF_INET), server_hostname="localhost")
    s.connect(address)
    return s.recv(10)
