# `urlopen` of a `data:` URL kept on `self`: the response reads from memory and holds no connection, no finding
import unittest
import urllib.request


class DataURLTest(unittest.TestCase):
    def setUp(self):
        self.text_url = "data:text/plain;charset=utf-8,test%20data"
        self.text_url_resp = urllib.request.urlopen(self.text_url)

    def test_read(self):
        self.assertEqual(self.text_url_resp.read(), b"test data")
