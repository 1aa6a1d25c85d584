# a Protocol member whose body is `pass` never uses its default: no finding
from typing import Protocol


class Sink(Protocol):
    def write(self, data, tags=[]) -> None:
        pass
