# one object under two names, closed in `finally` through one of them: no finding
def fetch(conn, file=None):
    opened = None
    try:
        if isinstance(file, str):
            opened = file = open(file, "wb")
        for line in conn.lines():
            if file is not None:
                file.write(line)
    finally:
        if opened:
            opened.close()
