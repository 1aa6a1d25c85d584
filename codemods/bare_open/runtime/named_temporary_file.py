# NamedTemporaryFile: the temporary file stays on disk while an error propagates; `with` deletes it at once.
import os
import sys
import tempfile

created = []


def stored_size(data):
    tmp = tempfile.NamedTemporaryFile()
    created.append(tmp.name)
    tmp.write(data)
    tmp.flush()
    if not data:
        raise ValueError("empty")
    size = os.path.getsize(tmp.name)
    tmp.close()
    return size


print(stored_size(b"abc"))
try:
    stored_size(b"")
except ValueError as e:
    print("error:", e)
    if os.path.exists(created[-1]):
        print("LEAK: the temporary file is still there", file=sys.stderr)
