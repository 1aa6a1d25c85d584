# a coroutine nested here would hand the pipe over, but nothing runs it: reported, without a fix
import io
import os


def read_pipe(loop, proto):
    rpipe, wpipe = os.pipe()
    pipeobj = io.open(rpipe, "rb", 1024)

    async def connect():
        await loop.connect_read_pipe(lambda: proto, pipeobj)

    os.close(wpipe)
    return connect
