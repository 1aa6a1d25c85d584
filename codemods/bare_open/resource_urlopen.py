# `urllib.request.urlopen()` in library code, closed by the code: `with closing(...)` (its type is the opener's)
from urllib.request import urlopen


def fetch(url):
    return urlopen(url).read()


def status(url):
    response = urlopen(url)
    body = response.read(100)
    response.close()
    return body
