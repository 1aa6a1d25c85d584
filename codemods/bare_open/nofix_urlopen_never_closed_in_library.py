# `urlopen()` in library code, never closed: no fix (the installed opener may return an object without `__enter__`)
import urllib.request


def classifiers(url, log):
    response = urllib.request.urlopen(url)
    log.info(response.read().decode())
