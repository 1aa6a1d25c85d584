# The owner keeps the `_SpecState` in `_mock_children`, which the module's own class fills with children made around
# its `self` (`self._get_child_mock(parent=self)`): a parent/children structure whose entries point back by design.
# The owner is in that cycle whatever this link does, and the link keeps nothing more. No finding.
class NonCallableMock:
    def __init__(self, parent=None):
        self._mock_parent = parent
        self._mock_children = {}

    def _get_child_mock(self, **kw):
        return type(self)(**kw)

    def __getattr__(self, name):
        result = self._mock_children.get(name)
        if result is None:
            result = self._get_child_mock(parent=self)
            self._mock_children[name] = result
        return result


def create_autospec(spec, _parent=None):
    mock = NonCallableMock(parent=_parent)
    for entry in dir(spec):
        mock._mock_children[entry] = _SpecState(getattr(spec, entry), mock)
    return mock


class _SpecState:
    def __init__(self, spec, parent=None):
        self.spec = spec
        self.parent = parent
