# returned from inside a loop when a try succeeds, but left open when the loop ends: reported, the reason says so
import socket


def find_live(candidates):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for fn in candidates:
        try:
            s.connect(fn)
        except OSError:
            pass
        else:
            return s
