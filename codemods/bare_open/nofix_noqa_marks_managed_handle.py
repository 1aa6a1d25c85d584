# `# noqa: SIM115`, `# pylint: disable=consider-using-with` or `R1732` on the opening line: the author manages the
# handle, so the finding has no fix (unless `[tool.pyfix.bare-open] fix-noqa = true`)
import tarfile


def read(path):
    f = open(path)  # noqa: SIM115 # handle managed explicitly
    data = f.read()
    f.close()
    return data


def first(path):
    return open(path).readline()  # pylint: disable=R1732


def members(path):
    tar = tarfile.open(  # pylint: disable=consider-using-with
        path
    )
    names = tar.getnames()
    tar.close()
    return names

