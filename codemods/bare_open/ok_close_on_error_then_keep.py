# closed on error, handed over on success: the object keeps the file on purpose
class Wave:
    def __init__(self, path):
        fp = open(path, "rb")
        try:
            self.init(fp)
        except:
            fp.close()
            raise

    def init(self, fp):
        self.fp = fp
