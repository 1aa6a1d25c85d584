# `v = C.get(k)` + `if v is not None: return v` ... `C[k] = v; return v`
_labels = {}


def label(code):
    text = _labels.get(code)
    if text is not None:
        return text
    text = f"E{code:04d}"
    _labels[code] = text
    return text


def _keys_from_label(path):
    with open(path) as f:
        for line in f:
            label(*line.split())
