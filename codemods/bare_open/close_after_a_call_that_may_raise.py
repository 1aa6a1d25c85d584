# a call between the open and the close may raise (`s.getsockname()`, `t.write(b)`): still a finding, with a fix
import tempfile


def scratch_name(data):
    t = tempfile.NamedTemporaryFile(delete=False)
    name = t.name
    t.write(data)
    t.close()
    return name
