# `tempfile.TemporaryFile` and `SpooledTemporaryFile`: `with`
import tempfile


def roundtrip(data):
    tmp = tempfile.TemporaryFile()
    tmp.write(data)
    tmp.seek(0)
    result = tmp.read()
    tmp.close()
    return result


def spooled(data):
    tmp = tempfile.SpooledTemporaryFile(max_size=1024)
    tmp.write(data)
    tmp.close()
