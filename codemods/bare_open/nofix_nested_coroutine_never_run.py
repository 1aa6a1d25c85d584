# a coroutine nested here would hand the pipe over, but nothing runs it (or it hands it over on one path only):
# reported, without a fix
import io
import os


def read_pipe(loop, proto):
    rpipe, wpipe = os.pipe()
    pipeobj = io.open(rpipe, "rb", 1024)

    async def connect():
        await loop.connect_read_pipe(lambda: proto, pipeobj)

    os.close(wpipe)
    return connect


def read_pipe_later(loop, proto):
    rpipe, wpipe = os.pipe()
    pipeobj = io.open(rpipe, "rb", 1024)

    async def connect():
        await loop.connect_read_pipe(lambda: proto, pipeobj)

    connect()  # made and dropped: the coroutine never runs
    os.close(wpipe)


def read_pipe_sometimes(loop, proto, ready):
    rpipe, wpipe = os.pipe()
    pipeobj = io.open(rpipe, "rb", 1024)

    async def connect():
        if ready:
            await loop.connect_read_pipe(lambda: proto, pipeobj)

    loop.run_until_complete(connect())
    os.close(wpipe)
