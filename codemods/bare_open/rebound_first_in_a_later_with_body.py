# closed, then bound again as the first statement of a later `with` body of the same block: the uses there are
# another connection's, the first connection gets its block
import warnings
from http import client


def fetch_twice(port):
    h = client.HTTPConnection("localhost", port)
    h.request("GET", "/")
    h.getresponse().close()
    h.close()
    with warnings.catch_warnings():
        h = client.HTTPConnection("localhost", port)
    h.request("GET", "/")
