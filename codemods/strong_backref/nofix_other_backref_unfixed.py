# Two bound methods on the same instance; one cannot become a property (a method has its name), so the instance stays
# in a cycle and the other is not fixed either.
class ListMixin:
    def __init__(self):
        self._set_single = self._set_single_rebuild
        self._assign_extended_slice = self._assign_extended_slice_rebuild

    def _set_single_rebuild(self, index, value):
        return index, value

    def _assign_extended_slice(self, start, stop, step, values):
        return values

    def _assign_extended_slice_rebuild(self, start, stop, step, values):
        return values
