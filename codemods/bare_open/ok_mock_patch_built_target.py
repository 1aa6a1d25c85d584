# `patch("%s.open" % builtin_string, mock)`: the target is built at run time but still names `open`
from unittest.mock import MagicMock, patch

builtin_string = "builtins"


def test_patched(self):
    mock = MagicMock(return_value="handle")

    @patch("%s.open" % builtin_string, mock)
    def test():
        self.assertEqual(open("filename", "r"), "handle", "open not patched")

    test()
