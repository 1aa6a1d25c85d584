# The protocol's base comes from another module and may define `factory` at class level; `factory` is set from
# outside, not in `__init__`, so an unset instance would raise `AttributeError` through a property: no fix.
from twisted.internet.protocol import Protocol


class Echo(Protocol):
    def dataReceived(self, data):
        self.factory.seen.append(data)


class EchoFactory:
    def __init__(self):
        self.seen = []
        self.protocols = []

    def buildProtocol(self, addr):
        p = Echo()
        p.factory = self
        self.protocols.append(p)
        return p
