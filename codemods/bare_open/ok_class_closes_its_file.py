# the object owns its file and closes it in close()
class Log:
    def __init__(self, path):
        self.f = open(path, "a")

    def write(self, msg):
        self.f.write(msg)

    def close(self):
        self.f.close()
