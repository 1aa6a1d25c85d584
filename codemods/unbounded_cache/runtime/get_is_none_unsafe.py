# `v = C.get(k)` / `if v is None:` on a function that calls out (an unsafe fix): results unchanged, memory bounded.
import io
import sys
import unicodedata

_names = {}


def char_name(code):
    name = _names.get(code)
    if name is None:
        name = unicodedata.name(chr(code), "?").lower()
        _names[code] = name
    return name


# The code points arrive as text, one per line, like records read from a file.
codes = io.StringIO("".join(f"{c}\n" for c in [*range(0x4E00, 0x4E00 + 3000), *range(65, 91)]))
names = [char_name(int(codes.readline())) for _ in range(3026)]
print(len(names), names[0], names[-1], char_name(0x41))

memo = globals().get("_names")
kept = len(memo) if memo is not None else char_name.cache_info().currsize
if kept > 1000:
    print(f"LEAK: the memo kept {kept} names", file=sys.stderr)
