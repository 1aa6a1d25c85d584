# Protocol members are only reported: their defaults document the interface
from typing import Protocol


class Sink(Protocol):
    def write(self, data, tags=[]) -> None:
        pass
