# `open` is a mock here (`mock.patch("builtins.open")`): no file exists, a `with` would break the mock
from unittest import mock


@mock.patch("builtins.open")
def test_reads(mocked):
    mocked.return_value.read.return_value = "x"
    data = open("config.ini").read()
    assert data == "x"
