# a test checking (with a helper) that dropping a file warns or not leaks it on purpose: left alone
import os

from test.support import warnings_helper


def test_no_warning_for_closefd_false(self):
    r, w = os.pipe()
    with warnings_helper.check_no_resource_warning(self):
        open(r, closefd=False)
