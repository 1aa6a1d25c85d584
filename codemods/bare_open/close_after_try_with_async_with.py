# `async with`/`async for` in a `try` that swallows errors: a cancellation skips the close; reported and fixed
async def g(p, lock):
    f = open(p)
    try:
        async with lock:
            pass
    except Exception:
        pass
    f.close()


async def h(p, aiter_):
    f = open(p)
    try:
        async for _ in aiter_:
            pass
    except Exception:
        pass
    f.close()
