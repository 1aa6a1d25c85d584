# `zipfile.ZipFile`: `with`
import zipfile


def names(path):
    archive = zipfile.ZipFile(path)
    result = archive.namelist()
    archive.close()
    return result
