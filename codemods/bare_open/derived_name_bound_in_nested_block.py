# a name bound from the object inside a nested block (`r1 = s.get(url)` in a `with`) is no rebinding: fixed
import requests


def check_pools(server, url):
    s = requests.Session()
    with server:
        r1 = s.get(url, verify=False)
        assert r1.status_code == 200
    return len(s.adapters)
