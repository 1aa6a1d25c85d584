# an imported module's attribute held as an element (`[os.curdir]`) is the same object at call time: safe
import os


def search(name, dirs=[os.curdir]):
    dirs.append(name)
    return dirs
