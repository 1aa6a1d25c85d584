# `urllib.request.urlopen()`, inline and named: `with`
from urllib.request import urlopen


def fetch(url):
    return urlopen(url).read()


def status(url):
    response = urlopen(url)
    body = response.read(100)
    response.close()
    return body
