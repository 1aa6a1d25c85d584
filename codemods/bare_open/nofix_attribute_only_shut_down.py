# `sock.shutdown(how)` ends the connection but closes nothing: an attribute a class only shuts down is still an
# escape (`ok_attribute_closed_by_base_class`: an executor's `shutdown()`)
import socket


class Client:
    def connect(self, address):
        self.sock = socket.create_connection(address)

    def stop(self):
        self.sock.shutdown(socket.SHUT_RDWR)
