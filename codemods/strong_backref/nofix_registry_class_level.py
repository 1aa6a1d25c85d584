# A class-level registry outlives every instance: reported with a hint (subclasses elsewhere may use it).
class Plugin:
    _active = []

    def __init__(self):
        self._active.append(self.run)

    def run(self):
        pass

    @classmethod
    def run_all(cls):
        for run in cls._active:
            run()
