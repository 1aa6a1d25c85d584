# `subprocess.Popen` never waited for: `__exit__` would wait, so no fix
import subprocess


def start_server(cmd):
    proc = subprocess.Popen(cmd)
    print("started", proc.pid)
