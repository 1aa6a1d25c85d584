# The owner defines `__getstate__`: pickling a folder pickles the files it keeps, whose weak `folder` could not be.
class File:
    def __init__(self, folder, name):
        self.folder = folder
        self.name = name


class Folder:
    def __init__(self):
        self.files = []

    def add(self, name):
        self.files.append(File(self, name))

    def __getstate__(self):
        return self.__dict__.copy()
