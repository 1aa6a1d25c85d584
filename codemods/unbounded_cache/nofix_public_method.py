# A public method taking only `self`: callers elsewhere would have to drop their `()`, so no fix
from functools import lru_cache


class Page:
    @lru_cache(maxsize=None)
    def links(self):
        return []
