# an object built and dropped (`Lookup(zf)`, for its effect on `zf`) whose class, read in the project, keeps `self`
# nowhere: it dies with the statement, so the archive is still this code's to close (the fix is unsafe: the class
# is handed `zf`); `nofix_constructor_registers_itself`: a class that registers itself
import zipfile


class Lookup:
    def __init__(self, root):
        self.root = root
        self.names = set(root.namelist())


def extract(path, dest):
    zf = zipfile.ZipFile(path)
    Lookup(zf)
    zf.extractall(dest)
