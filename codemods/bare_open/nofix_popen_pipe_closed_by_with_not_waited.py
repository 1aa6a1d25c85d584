# the pipe closed by `with proc.stdin as pipe:`, but the process never waited for: reported without a fix
import subprocess


def feed(text, cmd):
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    with proc.stdin as pipe:
        pipe.write(text)
    return proc.stdout.read()
