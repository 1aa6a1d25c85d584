# A bound method called through the attribute (`stream.getEvent()`) on an object that owns something to release
# (`clear()` drops its parser and stream): the cycle delays that release, so it is fixed like any other.
class EventStream:
    def __init__(self, stream, parser):
        self.stream = stream
        self.parser = parser
        self.getEvent = self._slurp

    def _slurp(self):
        return self.stream.read()

    def clear(self):
        self.parser = None
        self.stream = None


def first(stream, parser):
    return EventStream(stream, parser).getEvent()
