# `tarfile.open`: `with`
import tarfile


def extract(path, dest):
    tar = tarfile.open(path)
    tar.extractall(dest, filter="data")
    tar.close()
