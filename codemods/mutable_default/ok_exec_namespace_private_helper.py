# a private helper's `exec` namespace grows only by the names its callers' code binds: no finding
from textwrap import dedent


def run(source):
    _run(source)


def _run(source, _ns={}):
    source = dedent(source)
    exec(source, _ns)
