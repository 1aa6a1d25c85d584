# a private parameter (`_seen`) that no call in the module passes is per-function state on purpose: reported only
def warn_once(message, _seen=set()):
    if message in _seen:
        return False
    _seen.add(message)
    print(message)
    return True


warn_once("disk almost full")
