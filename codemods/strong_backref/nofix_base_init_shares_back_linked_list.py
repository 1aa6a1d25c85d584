# The base `__init__` shares the container's `_actions`, whose entries point back to the container that added them
# (`action.container = self`): the group reaches its container through them, and the reason names that path. No fix.
class Container:
    def __init__(self):
        self._actions = []
        self._groups = []

    def add_action(self, action):
        self._actions.append(action)
        action.container = self
        return action

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
