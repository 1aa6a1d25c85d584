# pyfix-fixture: safe-only
# A config loader that closes its file only when parsing succeeds, plus inline reads and writes.
import json


def save(path, text):
    open(path, "w").write(text)


def read_config(path):
    f = open(path)
    data = json.load(f)
    f.close()
    return data


def slurp(path):
    return open(path).read()


save("good.json", '{"name": "demo", "workers": 4}')
save("bad.json", '{"name": ')
print(read_config("good.json"))
try:
    read_config("bad.json")
except ValueError as e:
    print("bad config:", type(e).__name__)
print(len(slurp("good.json")), "bytes")
