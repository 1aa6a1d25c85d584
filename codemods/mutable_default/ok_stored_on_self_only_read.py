# a default stored on `self` that nothing in the module changes in place is only read through the instance
class TreeItem:
    def __init__(self, path, packages=[]):
        self.path = path
        self.packages = packages

    def name(self):
        if not self.packages:
            return self.path
        return self.packages[-1] + ": package"

    def child(self, name):
        return TreeItem(name, self.packages + [name])
