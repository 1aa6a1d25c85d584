# `# noqa: SIM115` / `consider-using-with` on the rewritten line are dropped (the comment too if nothing is left),
# when the setting `fix-noqa` asks for fixes on such lines
# pyfix-fixture: fix-noqa
def read(path):
    f = open(path)  # noqa: SIM115
    data = f.read()
    f.close()
    return data


def count(path):
    f = open(path)  # noqa: SIM115, E501  # pylint: disable=consider-using-with,unused-variable
    n = len(f.readlines())
    f.close()
    return n


def first(path):
    return open(path).readline()  # pylint: disable=consider-using-with


def write(path, data):
    f = open(path, "wb")  # noqa: SIM115 # handle managed explicitly
    f.write(data)
    f.close()
