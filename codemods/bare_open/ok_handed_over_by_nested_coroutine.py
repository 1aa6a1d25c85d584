# a coroutine nested here hands the pipe to the event loop, and this function runs it: handed over, no finding
import io
import os


def read_pipe(loop, proto):
    rpipe, wpipe = os.pipe()
    pipeobj = io.open(rpipe, "rb", 1024)

    async def connect():
        await loop.connect_read_pipe(lambda: proto, pipeobj)

    loop.run_until_complete(connect())
    os.write(wpipe, b"1")
    os.close(wpipe)
