# continuation lines aligned under the call's arguments move with the call, so they stay aligned; a hanging indent
# and the inside of a multi-line string stay as they are
import sqlite3
import subprocess


def run(cmd, path):
    proc = subprocess.Popen(cmd,
                            stdout=subprocess.PIPE)
    out = proc.stdout.read()
    proc.wait()
    conn = sqlite3.connect(
        path, timeout=5)
    conn.execute("""select 1
                    from t""")
    conn.close()
    return out
