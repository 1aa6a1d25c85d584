# A method called through its class that keeps the file it is given: still the caller's leak, fixed only as unsafe.
import os


class Store:
    def keep(self, f):
        if isinstance(f, str):
            return
        self.f = f


class User:
    def load(self, name):
        path = os.path.join(os.path.dirname(__file__), name)
        Store.keep(self, open(path, "rb"))
