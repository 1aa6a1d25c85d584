# pyfix-fixture: safe-only
# Optional files: opened inside try, read after it; a decoding error while reading leaks the file.


def read_optional(path):
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        return None
    text = f.read()
    f.close()
    return text


with open("good.txt", "w", encoding="utf-8") as out:
    out.write("hello\n")
with open("bad.txt", "wb") as out:
    out.write(b"\xff\xfe not utf-8 \xff")

print(repr(read_optional("good.txt")))
print(repr(read_optional("missing.txt")))
try:
    read_optional("bad.txt")
except UnicodeDecodeError:
    print("bad.txt is not UTF-8")
