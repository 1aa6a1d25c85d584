# a leading local import the default does not use stays below the guard
def parse(text, seen=[]):
    import json

    seen.append(text)
    return json.loads(text), seen
