# a file passed straight to a known consumer (json.load reads it and keeps nothing)
import json


def load(path):
    settings = json.load(open(path))
    return settings["name"]
