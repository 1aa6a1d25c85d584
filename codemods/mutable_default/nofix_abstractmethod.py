# abstract methods are only reported: their defaults document the interface
import abc


class Base(abc.ABC):
    @abc.abstractmethod
    def run(self, args=[]):
        """Run with args."""
        raise NotImplementedError
