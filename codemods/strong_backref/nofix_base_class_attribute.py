# The base class defines `factory = None` at class level: a protocol that never had a factory set would raise
# `AttributeError` through a property, so no fix.
class BaseProtocol:
    factory = None


class Protocol(BaseProtocol):
    def describe(self):
        return "protocol of %r" % (self.factory,)


class Factory:
    def __init__(self):
        self.protocols = []

    def build_protocol(self):
        p = Protocol()
        p.factory = self
        self.protocols.append(p)
        return p
