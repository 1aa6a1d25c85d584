# a `Popen` reaped on every normal path (`communicate()`; `wait()` once its pipes are closed or with file or
# descriptor streams; both branches of an `if`) and `Popen(...).wait()` without pipes: no finding
import subprocess


def run(self, cmd, data, path):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    self.addCleanup(p.stdout.close)
    out, err = p.communicate()[0], None
    q = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    q.stdin.write(data)
    q.stdin.close()
    q.wait()
    with open(path, "w") as out_file:
        r = subprocess.Popen(cmd, stdout=out_file, stderr=subprocess.STDOUT)
        r.wait()
    status = subprocess.Popen(cmd).wait()
    s = subprocess.Popen(cmd, stdin=path[1], stdout=path[2])
    s.wait()
    return out, err, status


def branches(cmd, data):
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    if data:
        out, _ = p.communicate(data)
    else:
        out, _ = p.communicate()
    return out

