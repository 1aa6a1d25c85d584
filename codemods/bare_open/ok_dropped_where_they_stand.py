# objects other than files dropped where they stand (reference counting releases them at the end of the statement),
# and a connection whose only request is expected to fail: nothing to report
import http.client
import mmap
import ssl
import unittest
from urllib.request import urlopen


class T(unittest.TestCase):
    def test_probe(self):
        urlopen("http://example.com", timeout=1)
        mmap.mmap(-1, 5000, tagname="x")[:]
        self.assertTrue(urlopen("http://example.com"))

    def test_bad_cert(self):
        h = http.client.HTTPSConnection("self-signed.example.com", 443)
        with self.assertRaises(ssl.SSLError):
            h.request("GET", "/")
