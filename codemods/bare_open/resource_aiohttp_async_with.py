# `aiohttp.ClientSession` in an `async def`: `async with`
import aiohttp


async def fetch(url):
    session = aiohttp.ClientSession()
    async_response = await session.get(url)
    text = await async_response.text()
    await session.close()
    return text
