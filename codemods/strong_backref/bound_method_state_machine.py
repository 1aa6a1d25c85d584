# The state-machine idiom: `self.state = self.parse_header`, switched at each step, on an object with a `close()`:
# held through `WeakMethod`.
class Parser:
    def __init__(self):
        self.fields = []
        self.state = self.parse_header

    def feed(self, line):
        self.state(line)

    def close(self):
        self.fields.clear()

    def parse_header(self, line):
        self.fields.append(("header", line))
        self.state = self.parse_body

    def parse_body(self, line):
        if not line:
            self.state = None
            return
        self.fields.append(("body", line))
