# an abstract method whose body never uses its default: nothing leaks, no finding
import abc


class Base(abc.ABC):
    @abc.abstractmethod
    def run(self, args=[]):
        """Run with args."""
        raise NotImplementedError
