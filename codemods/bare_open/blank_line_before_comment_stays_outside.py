# a blank line after the open, followed by a comment line: the blank line moves above the `with`, the comment stays
import zipfile


def build(path, data):
    print("building", path)
    z = zipfile.ZipFile(path, "w")

    # the package
    z.writestr("pkg/__init__.py", "")
    z.writestr("pkg/res.txt", data)
    z.close()
