# `super().__init__(container)` runs a base class that shares the container's lists with the group: the objects may
# stay linked through them, and the reason says so; reported without a fix.
class Container:
    def __init__(self):
        self._actions = []
        self._groups = []

    def add_group(self):
        group = Group(self)
        self._groups.append(group)
        return group


class _Base(Container):
    def __init__(self, container):
        self._actions = container._actions
        self._groups = container._groups


class Group(_Base):
    def __init__(self, container):
        super().__init__(container)
        self._container = container
