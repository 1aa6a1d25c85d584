# nothing to close: anonymous memory maps, data: URLs, a response read to its end (which closes the connection),
# select/poll selectors (no descriptor), a process drained and reaped at once, a socket whose descriptor is detached,
# a connection given a fake socket
import http.client
import mmap
import selectors
import socket
import subprocess
from urllib.request import urlopen


def probe(url, cmd, fake):
    m = mmap.mmap(-1, 4096)
    m.write(b"x")
    payload = urlopen("data:,hello").read()
    body = urlopen(url).read()
    sel = selectors.SelectSelector()
    sel.register(0, selectors.EVENT_READ)
    out = subprocess.Popen(cmd, stdout=subprocess.PIPE).communicate()
    sock = socket.socket()
    fd = sock.detach()
    conn = http.client.HTTPConnection("example.com")
    conn.sock = fake
    conn.request("GET", "/")
    return m, payload, body, sel, out, fd, conn.getresponse()
