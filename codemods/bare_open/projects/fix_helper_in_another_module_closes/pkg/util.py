# a helper that closes what it is given and keeps it nowhere
def close_quietly(f):
    try:
        f.close()
    except OSError:
        pass
