# opened in a `try` whose `except` returns without closing it after a later statement raised, and used after the
# `try` on the other paths: reported, and the reason names the handler
import http.client


def proxy(host, path, bad_gateway):
    try:
        con = http.client.HTTPConnection(host, timeout=5)
        con.connect()
        con.request("GET", path)
        resp = con.getresponse()
    except OSError:
        return bad_gateway()
    return resp.read()
