# A public module-level registry: other modules may add or call entries, so pyfix reports with a hint.
listeners = []


class Console:
    def __init__(self):
        listeners.append(self.write)

    def write(self, text):
        print(text)
