# `requests.Session`: `with`
import requests


def get_json(url):
    session = requests.Session()
    session.headers["Accept"] = "application/json"
    data = session.get(url).json()
    session.close()
    return data
