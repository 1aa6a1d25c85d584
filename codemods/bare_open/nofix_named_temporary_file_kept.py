# `NamedTemporaryFile` never closed: closing deletes it, and its name is used later: no fix
import subprocess
import tempfile


def run_script(source):
    tmp = tempfile.NamedTemporaryFile("w", suffix=".py")
    tmp.write(source)
    tmp.flush()
    name = tmp.name
    return subprocess.run(["python3", name], check=False)
