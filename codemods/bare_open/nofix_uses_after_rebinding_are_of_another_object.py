# `h` is bound again (in a `with` body that always runs) before `h.request()` and `h.close()`: those uses are of the
# third connection. The first two only make a request that fails (nothing opened): no finding. The third is closed
# only on the normal path, and used after the block that opens it: reported without a fix
import ssl
import unittest
import warnings
from http import client


class T(unittest.TestCase):
    def test_hostname(self):
        context = ssl.create_default_context()
        h = client.HTTPSConnection("localhost", 4443, context=context)
        with self.assertRaises(ssl.CertificateError):
            h.request("GET", "/")
        with warnings.catch_warnings():
            h = client.HTTPSConnection("localhost", 4443, context=context)
        with self.assertRaises(ssl.CertificateError):
            h.request("GET", "/")
        with warnings.catch_warnings():
            h = client.HTTPSConnection("localhost", 4443, context=context)
        h.request("GET", "/nonexistent")
        resp = h.getresponse()
        resp.close()
        h.close()
        self.assertEqual(resp.status, 404)
