# `gs = GravSys()` is a local that the function keeps nowhere after it returns: from then on only the stars'
# `gravSys` would keep it, so it stays strong.
class GravSys:
    def __init__(self):
        self.planets = []

    def step(self):
        for p in self.planets:
            p.step()


class Star:
    def __init__(self, mass, gravSys):
        self.mass = mass
        self.gravSys = gravSys
        gravSys.planets.append(self)

    def step(self):
        return self.gravSys


def main():
    gs = GravSys()
    Star(1000, gs)
    Star(1, gs)
    gs.step()
    return "Done!"
