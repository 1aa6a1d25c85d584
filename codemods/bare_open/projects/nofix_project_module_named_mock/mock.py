# The project's own `mock`, which shadows the library.
import contextlib


@contextlib.contextmanager
def patch(target):
    # The project's own `mock.patch` swallows errors: not the `mock` library's.
    try:
        yield
    except ValueError:
        pass
