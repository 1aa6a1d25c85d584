# `redirect_stdout(f)` points `sys.stdout` at the file inside its block and gives it back: it closes nothing, so the
# file still leaks and gets its own `with`
import contextlib
from contextlib import redirect_stderr


def report(p, lines):
    f = open(p, "w")
    with contextlib.redirect_stdout(f):
        for line in lines:
            print(line)


def errors(p, run):
    log = open(p, "a")
    with redirect_stderr(log):
        run()
