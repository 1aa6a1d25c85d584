# a socket passed to a thread whose target keeps it (stores it) instead of closing it: still an escape, no fix
# (`ok_handed_to_a_thread_that_closes_it`)
import socket
import threading

servers = []


def serve(serv):
    servers.append(serv)
    serv.listen()


def start():
    sock = socket.socket()
    thread = threading.Thread(target=serve, args=(sock,))
    thread.start()
    return thread
