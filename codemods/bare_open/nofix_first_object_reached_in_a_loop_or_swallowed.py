# the name is bound again, but a later iteration of the loop around the open reaches the other branch with the first
# file, a `with suppress(...)` may stop before the rebinding, or the new value wraps the file through another name
# (`raw = f; f = io.TextIOWrapper(raw)`): those uses are of the first file, so no `with` may close it before them;
# reported without a fix
import contextlib
import io


def scan_if(items):
    f = None
    out = []
    for kind, p in items:
        if kind == "open":
            f = open(p)
            if f.readline() == "skip\n":
                continue
            f.close()
            f = None
        else:
            out.append(f.read())
    return out


def scan_match(items):
    f = None
    out = []
    for kind, p in items:
        match kind:
            case "open":
                f = open(p)
                if f.readline() == "skip\n":
                    continue
                f.close()
                f = None
            case _:
                out.append(f.read())
    return out


def scan_try(paths):
    out = []
    f = None
    for p in paths:
        try:
            n = int(p)
        except ValueError:
            f = open(p)
            if f.readline() == "skip\n":
                continue
            f.close()
            f = None
        else:
            out.append(f.read(n))
    return out


def load(p, q, s):
    f = open(p)
    head = f.readline()
    with contextlib.suppress(ValueError):
        n = int(s)
        f = open(q)
    return head, f.read()


def read_latin1(p):
    f = open(p, "rb")
    raw = f
    f = io.TextIOWrapper(raw, encoding="latin-1")
    text = f.read()
    f.close()
    return text


@contextlib.contextmanager
def quiet():
    try:
        yield
    except ValueError:
        pass


class Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


def load_quiet(p, q, s):
    # a manager of the project may swallow the error too (a `@contextmanager`, a class whose `__exit__` returns true,
    # `suppress` under another name): only managers known to let errors go on are trusted
    f = open(p)
    head = f.readline()
    with quiet():
        n = int(s)
        f = open(q)
    return head, f.read()


def load_quiet_class(p, q, s):
    f = open(p)
    head = f.readline()
    with Quiet():
        n = int(s)
        f = open(q)
    return head, f.read()


def load_branch_alias(p, skip):
    # the alias is bound in branches, or through a chain of names
    f = open(p, "rb")
    if skip:
        f.read(3)
        raw = f
    else:
        raw = f
    f = io.TextIOWrapper(raw, encoding="utf-8")
    return f.read()


def load_alias_chain(p):
    f = open(p, "rb")
    a = f
    raw = a
    f = io.TextIOWrapper(raw, encoding="utf-8")
    return f.read()


def load_wrapped_alias(p):
    # the alias is a wrapper built on the file, or bound by a `for`
    f = open(p, "rb", buffering=0)
    raw = io.BufferedReader(f)
    f = io.TextIOWrapper(raw, encoding="utf-8")
    return f.read()


def load_for_alias(p):
    f = open(p, "rb")
    for raw in (f,):
        pass
    f = io.TextIOWrapper(raw, encoding="utf-8")
    return f.read()


@contextlib.contextmanager
def patch(target):
    # named like `unittest.mock.patch`, but the project's own, and it swallows `ValueError`
    try:
        yield target
    except ValueError:
        pass


def load_patched(p, q, s):
    f = open(p)
    head = f.readline()
    with patch("x"):
        n = int(s)
        f = open(q)
    return head, f.read()
