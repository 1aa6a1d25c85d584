# `loop.connect_write_pipe(proto, f)` hands the file to a transport that owns and closes it: no finding
import asyncio


def pipe_writer(loop, fd):
    pipeobj = open(fd, "wb", 0)
    connect = loop.connect_write_pipe(asyncio.Protocol, pipeobj)
    transport, protocol = loop.run_until_complete(connect)
    transport.write(b"1")
    return transport
