# `subprocess.Popen` with no pipes, never waited for: a process started on purpose and left running, no finding
import subprocess


def start_server(cmd):
    proc = subprocess.Popen(cmd)
    print("started", proc.pid)
