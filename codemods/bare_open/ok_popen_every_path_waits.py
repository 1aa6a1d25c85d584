# a `Popen` reaped on every normal path: `communicate()` after its pipes are handed to cleanups, `wait()` once the
# only pipe is closed or when the streams are files or descriptors, both branches of an `if`, a `try` whose handler also reaps;
# `Popen(...).wait()` without pipes; no finding
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

