# `urlopen()` in a test, never closed: `with` (the test chose the opener)
import unittest
import urllib.request


class FetchTest(unittest.TestCase):
    def test_fetch(self):
        response = urllib.request.urlopen("http://localhost:8000/")
        self.assertEqual(response.geturl(), "http://localhost:8000/")
