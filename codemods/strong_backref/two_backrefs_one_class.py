# Two back-references in one class are both fixed (over two passes: the properties land at the same place).
class Layer:
    def __init__(self):
        self.sprites = []


class Sprite:
    def __init__(self, scene, layer):
        self.scene = scene
        self.layer = layer
        layer.sprites.append(self)


class Scene:
    def __init__(self):
        self.layer = Layer()
        self.actors = [Sprite(self, self.layer)]
