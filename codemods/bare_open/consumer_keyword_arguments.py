# known consumers keep nothing whatever keyword arguments they take: safe
import json
from collections import OrderedDict


def load(path):
    f = open(path)
    data = json.load(f, object_pairs_hook=OrderedDict)
    f.close()
    return data


def dump(path, data):
    f = open(path, "w")
    json.dump(data, f, indent=2, sort_keys=True)
    f.close()
