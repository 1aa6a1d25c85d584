# `NamedTemporaryFile` closed on the normal path (deleted then anyway): `with`
import tempfile


def checksum(data, digest):
    tmp = tempfile.NamedTemporaryFile()
    tmp.write(data)
    tmp.flush()
    result = digest(tmp.name)
    tmp.close()
    return result
