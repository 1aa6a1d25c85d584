# `socket.create_connection()` imported by name: `with`
from socket import create_connection


def fetch_banner(host, port):
    conn = create_connection((host, port), timeout=5)
    banner = conn.recv(1024)
    conn.close()
    return banner
