# `r`, bound from the session, is met earlier in the loop, but each iteration binds it before reading it: not the
# previous iteration's value, so the session gets its `with` (safe)
import requests


def check(urls):
    for url in urls:
        r = requests.get(url)
        assert r.status_code == 401

        s = requests.session()
        s.auth = ("user", "pass")
        r = s.get(url)
        assert r.status_code == 200
