# The protocol drops its writer when the transport calls `connection_lost()`, on every normal path: the cycle
# through `Writer._protocol` is broken by the classes themselves. No finding.
class Writer:
    def __init__(self, transport, protocol):
        self._transport = transport
        self._protocol = protocol

    def write(self, data):
        self._transport.write(data)


class Protocol:
    def __init__(self):
        self._writer = None

    def connection_made(self, transport):
        self._writer = Writer(transport, self)

    def connection_lost(self, exc):
        self._writer = None
