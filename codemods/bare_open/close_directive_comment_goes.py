# a tool directive trailing the removed `close()` (`# type: ignore`, `# noqa: ...`, `# pragma: no cover`) goes with
# it, since alone on a line it would be orphaned; the rest of that comment stays where the close was
def read(path):
    f = open(path)
    data = f.read()
    f.close()  # type: ignore[attr-defined]
    return data


def head(path):
    f = open(path)
    first = f.readline()
    f.close()  # done reading  # noqa: B018
    return first
