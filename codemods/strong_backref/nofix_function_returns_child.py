# `protocol = Protocol(); writer = Writer(protocol); return writer`: the function hands out only the writer, so the
# writer's link is what keeps the protocol alive.
class Protocol:
    def __init__(self):
        self.writers = []


class Writer:
    def __init__(self, protocol):
        self.protocol = protocol
        protocol.writers.append(self)


def open_writer():
    protocol = Protocol()
    writer = Writer(protocol)
    return writer
