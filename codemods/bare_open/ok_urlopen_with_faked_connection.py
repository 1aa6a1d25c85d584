# a test that replaced the HTTP connection class with an in-memory fake (in a helper it calls, in `setUp`, by a
# patch) opens no connection: no finding
import http.client
import unittest
import urllib.request
from unittest import mock


class FakeMixin:
    def fakehttp(self, data):
        self._real = http.client.HTTPConnection
        http.client.HTTPConnection = make_fake(data)


class UrlTest(FakeMixin, unittest.TestCase):
    def test_fragment(self):
        self.fakehttp(b"HTTP/1.1 200 OK\r\n\r\nHello!")
        fp = urllib.request.urlopen("http://python.org/#frag")
        self.assertEqual(fp.geturl(), "http://python.org/#frag")

    def test_redirect(self):
        http.client.HTTPConnection = make_fake(b"HTTP/1.1 302 Found\r\n\r\n")
        fp = urllib.request.urlopen("http://python.org/path")
        self.assertEqual(fp.geturl(), "http://python.org/path")

    @mock.patch("http.client.HTTPConnection")
    def test_patched(self, conn):
        fp = urllib.request.urlopen("http://python.org/")
        self.assertTrue(fp)
