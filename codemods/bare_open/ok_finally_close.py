# closed in a finally block: correct already
def read(path):
    f = open(path)
    try:
        return f.read()
    finally:
        f.close()
