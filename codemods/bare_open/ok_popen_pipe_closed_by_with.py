# the pipe closed by `with proc.stdin as pipe:` (first in a `try` that swallows a broken pipe), then the process
# waited for in a loop left only after `wait()` returns: finished on every path; not reported
import subprocess


def pipepager(text, cmd):
    proc = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE, errors="backslashreplace")
    try:
        with proc.stdin as pipe:
            try:
                pipe.write(text)
            except KeyboardInterrupt:
                pass
    except OSError:
        pass
    while True:
        try:
            proc.wait()
            break
        except KeyboardInterrupt:
            pass
