# Under `@classmethod` (the class is one key) and `@staticmethod` the other arguments grow the cache
import functools


class Link:
    @classmethod
    @functools.cache
    def parse(cls, url):
        return cls()

    @staticmethod
    @functools.lru_cache(maxsize=None)
    def scheme(url):
        return url.partition(":")[0]


def _links(path):
    with open(path) as f:
        for line in f:
            Link.parse(line.strip())
            Link.scheme(line.strip())
