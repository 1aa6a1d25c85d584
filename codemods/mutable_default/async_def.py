# async def: the guard goes at the top of the coroutine
async def gather(item, results=[]):
    results.append(item)
    return results
