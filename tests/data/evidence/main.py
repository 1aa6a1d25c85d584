# The traced program the evidence files describe (for reading; the tests use the hand-written evidence).
import socket

from app import caches, defaults, files, tree
sock = socket.socket()


def run():
    files.leaky_read(__file__)
    files.quiet_read(__file__)
    defaults.remember(1)
    session = {"self": None}
    session["self"] = session
    tree.Node(tree.Node())
    caches.price(3)
    caches.rate("x")
