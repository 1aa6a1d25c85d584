# the statement that rebinds the name still reads the first object (`s = pickle.loads(pickle.dumps(s))`): no fix
import pickle

import requests


def roundtrip(url):
    s = requests.Session()
    s = pickle.loads(pickle.dumps(s))
    return s.get(url)
