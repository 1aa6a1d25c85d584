# `async def`: `lru_cache` would cache a coroutine, which can be awaited once
_cache = {}


async def fetch(url):
    if url in _cache:
        return _cache[url]
    body = url.upper()
    _cache[url] = body
    return body


def _keys_from_fetch(path):
    with open(path) as f:
        for line in f:
            fetch(*line.split())
