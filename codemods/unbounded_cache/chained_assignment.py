# `v = C[k] = compute(k)` then `return v`: only the `C[k] =` target goes
import hashlib

_digests = {}


def digest(data):
    if data in _digests:
        return _digests[data]
    result = _digests[data] = hashlib.sha256(data).hexdigest()
    return result


def _keys_from_digest(path):
    with open(path) as f:
        for line in f:
            digest(*line.split())
