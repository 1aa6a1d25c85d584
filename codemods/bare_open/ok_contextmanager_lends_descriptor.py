# `open(fd, closefd=False)` yielded from a `@contextmanager` generator: the object owns no descriptor, the caller
# that passed `fd` does; no finding
import contextlib


@contextlib.contextmanager
def as_text(fd):
    yield open(fd, "w", closefd=False)


@contextlib.contextmanager
def stdout_lines():
    f = open(1, "w", closefd=False, buffering=1)
    try:
        yield f
    finally:
        f.flush()
