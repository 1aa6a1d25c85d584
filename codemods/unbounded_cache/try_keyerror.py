# `try: return C[k]` / `except KeyError: pass` ... `C[k] = v; return v`
_widths = {}


def text_width(text):
    try:
        return _widths[text]
    except KeyError:
        pass
    width = sum(2 if ord(ch) > 0x1100 else 1 for ch in text)
    _widths[text] = width
    return width


def _keys_from_text_width(path):
    with open(path) as f:
        for line in f:
            text_width(*line.split())
