# `gs = GravSys()` and its stars are locals the function keeps nowhere: the cycle (or callbacks registered
# elsewhere) is what keeps the structure alive, on purpose: no finding.
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
