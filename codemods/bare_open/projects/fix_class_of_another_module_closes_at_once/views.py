# `Response` (pkg/http.py through pkg) closes the file: the safe fix only covers `log()` raising first, and names it
from pkg import Response


def view(p, log):
    f = open(p, "rb")
    log("serving")
    r = Response(f)
    return r.content
