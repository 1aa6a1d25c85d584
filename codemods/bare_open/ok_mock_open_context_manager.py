# `open` is replaced by `mock_open` inside `with patch(...)`: left alone
from unittest.mock import mock_open, patch


def test_first_line():
    with patch("builtins.open", mock_open(read_data="a\nb\n")):
        f = open("data.txt")
        line = f.readline()
    assert line == "a\n"
