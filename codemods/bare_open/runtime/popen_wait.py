# subprocess.Popen: an unexpected first line leaves the process unwaited and its pipe open; `with` waits and closes.
import subprocess
import sys


def run(code, expected):
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    first = proc.stdout.readline()
    if not first.startswith(expected):
        raise ValueError(f"unexpected output {first.strip()!r}")
    rest, _ = proc.communicate()
    return first + rest


print(run("print('hello'); print('world')", "hello"), end="")
try:
    run("print('oops')", "hello")
except ValueError as e:
    print("error:", e)
