# `redirect_stdout(f)` entered through an `ExitStack` (or kept in a name) keeps the file to point `sys.stdout` at
# whenever it is entered: handed on, no fix
from contextlib import ExitStack, redirect_stdout


def start(p):
    f = open(p, "w")
    st = ExitStack()
    st.enter_context(redirect_stdout(f))
    return st
