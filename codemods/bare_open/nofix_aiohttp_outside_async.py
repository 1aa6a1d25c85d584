# `aiohttp.ClientSession` outside an `async def`: `async with` is not possible there, so no fix
import aiohttp


def make_client(url):
    session = aiohttp.ClientSession(base_url=url)
    print(session.closed)
