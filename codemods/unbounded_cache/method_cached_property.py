# A private method taking only `self`: `cached_property`, and its call sites lose their `()`
import functools


class Report:
    def __init__(self, rows):
        self.rows = rows

    @functools.cache
    def _total(self):
        return sum(self.rows)

    def summary(self):
        return f"{len(self.rows)} rows, total {self._total()}"

    def average(self):
        return self._total() / len(self.rows)
