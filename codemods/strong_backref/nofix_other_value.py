# The attribute also holds an object created for it, which only it keeps: a weak reference would drop it.
class Session:
    def __init__(self, client):
        self.client = client

    def detach(self):
        self.client = Client()


class Client:
    def __init__(self):
        self.sessions = [Session(self)]
