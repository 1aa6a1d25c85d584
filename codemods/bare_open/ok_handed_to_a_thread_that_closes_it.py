# a socket passed in `args` to a thread whose target (a function of the module, or a method of the class) closes
# that parameter: the thread takes it over, no finding (`nofix_handed_to_a_thread_that_keeps_it`: one that does not)
import socket
import threading


def serve(evt, serv):
    serv.listen()
    try:
        conn, _ = serv.accept()
        conn.close()
    finally:
        serv.close()


class ServerTest:
    def setUp(self):
        self.evt = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.thread = threading.Thread(target=serve, args=(self.evt, self.sock))
        self.thread.start()

    def start(self):
        sock = socket.socket()
        self.background = threading.Thread(target=self.run_server, args=(sock,))
        self.background.start()

    def run_server(self, sock):
        with sock:
            sock.accept()
