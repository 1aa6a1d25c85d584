# `requests.session().get` alone as a statement only checks that the attribute exists; the object is dropped at once
import requests


def test_entry_points():
    requests.session().get
    open(__file__).read
