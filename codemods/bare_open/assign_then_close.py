# a handle closed on the normal path only: an exception in json.load leaks it
import json


def read_config(path):
    f = open(path)
    data = json.load(f)
    f.close()
    return data
