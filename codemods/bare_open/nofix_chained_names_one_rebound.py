# one object under two names, "closed" through a name rebound before the close: reported, without a fix
def fetch(conn, file=None):
    opened = None
    try:
        opened = file = open(file, "wb")
        opened = None
        for line in conn.lines():
            file.write(line)
    finally:
        if opened:
            opened.close()
