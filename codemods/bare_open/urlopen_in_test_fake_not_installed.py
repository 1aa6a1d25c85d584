# a test whose class can fake the connection, but this test does not call the helper: a real connection, fixed
import http.client
import unittest
import urllib.request


class UrlTest(unittest.TestCase):
    def fakehttp(self, data):
        http.client.HTTPConnection = make_fake(data)

    def test_live(self):
        fp = urllib.request.urlopen("http://localhost:8080/")
        self.assertEqual(fp.status, 200)
