# The child lets go of its owner itself when the connection is lost (`self._protocol = None`): the cycle is broken
# on the normal path. No finding.
class Writer:
    def __init__(self, protocol):
        self._protocol = protocol
        protocol.writers.append(self)

    def write(self, data):
        self._protocol.send(data)

    def connection_lost(self, exc):
        self._protocol = None


class Protocol:
    def __init__(self):
        self.writers = []

    def send(self, data):
        return data
