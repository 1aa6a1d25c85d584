# a fake that records the default as it was given: a test compares the record with what it passed (`None`), no fix
class FakeReactor:
    def __init__(self):
        self.calls = []

    def spawnProcess(self, proto, cmd, args=(), env={}):
        self.calls.append((cmd, args, env))
