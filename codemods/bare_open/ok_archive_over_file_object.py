# archives built on a file object they were given (`fileobj=`, an `io.BytesIO`) never close it: no descriptor leaks
import gzip
import io
import tarfile
import zipfile


def roundtrip(data):
    buf = io.BytesIO()
    z = gzip.GzipFile(fileobj=buf, mode="wb")
    z.write(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    tar = tarfile.open(fileobj=io.BytesIO(data))
    return names, tar.getnames()
