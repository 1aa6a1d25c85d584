# closes the file but also keeps it in a list: not a helper that only closes
_seen = []


def close_and_remember(f):
    _seen.append(f)
    f.close()
