def copy(a, b):
    src = open(a, "rb")
    dst = open(b, "wb")
    while True:
        chunk = src.read(4096)
        if not chunk:
            break
        dst.write(chunk)
    dst.close()
    src.close()
