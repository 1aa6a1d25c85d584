# a bound method of the object handed to a callee (`loop.call_soon(sock.recv, n)`, `Thread(target=f.read)`) holds
# the object, and the callee may call it after a block would have closed it: reported without a fix
import socket
import threading


def watch(loop, address):
    sock = socket.create_connection(address)
    loop.call_soon(sock.recv, 4096)
    sock.sendall(b"hello")
    sock.close()


def read_in_background(path):
    f = open(path)
    t = threading.Thread(target=f.read)
    t.start()
    t.join()
    f.close()
