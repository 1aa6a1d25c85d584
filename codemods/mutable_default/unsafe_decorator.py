# an unknown decorator may read the signature, where the default is now `None`: unsafe
import functools


def route(f):
    return f


@route
@functools.wraps(print)
def handler(request, headers={}):
    headers["seen"] = request
    return headers
