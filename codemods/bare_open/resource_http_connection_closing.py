# `http.client.HTTPConnection` has no `__exit__`: `with closing(...)`
import http.client


def head(host, path):
    conn = http.client.HTTPSConnection(host)
    conn.request("HEAD", path)
    status = conn.getresponse().status
    conn.close()
    return status
