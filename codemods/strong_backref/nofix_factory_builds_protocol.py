# A factory that sets itself on the protocol it builds and hands it out: nothing but `protocol.factory` may keep
# the factory, so it stays strong.
class Protocol:
    def __init__(self):
        self.factory = None

    def data_received(self, data):
        self.factory.log(data)


class Factory:
    def __init__(self):
        self.current = None
        self.lines = []

    def build_protocol(self):
        p = Protocol()
        p.factory = self
        self.current = p
        return p

    def log(self, line):
        self.lines.append(line)
