# The servers are kept in a container another object made (`cup.db.setdefault(...)`), which may pickle what it holds
# (a persistent store): a weak `server` on their players could not be pickled, so no fix.
class Browser:
    def __init__(self, cup):
        self.servers = cup.db.setdefault("servers", dict)

    def add(self, server_id):
        self.servers[server_id] = Server(server_id)


class Server:
    def __init__(self, server_id):
        self.id = server_id
        self.players = []

    def join(self, name):
        self.players.append(Player(self, name))


class Player:
    def __init__(self, server, name):
        self.server = server
        self.name = name
