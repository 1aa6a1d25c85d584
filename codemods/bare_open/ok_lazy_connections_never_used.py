# an HTTPConnection that never connects and a session that never sends hold no socket: nothing to report
import http.client

import requests


def test_attributes():
    h = http.client.HTTPSConnection("example.com", 443, timeout=30)
    assert h.timeout == 30
    http.client.HTTPConnection("example.com")


def test_session_defaults():
    s = requests.Session()
    s.headers.update({"x": "y"})
    assert s.verify
