# `@functools.cache` on a private method keeps every instance alive; as a `cached_property` they die with their owner.
import functools
import gc
import sys
import weakref


class Order:
    def __init__(self, lines):
        self.lines = lines

    @functools.cache
    def _total(self):
        return sum(price * qty for price, qty in self.lines)

    def invoice(self):
        return f"{len(self.lines)} lines, total {self._total()}"


refs = []
for i in range(2000):
    order = Order([(i, 2), (3, i % 7)])
    text = order.invoice()
    if i % 500 == 0:
        print(text)
    refs.append(weakref.ref(order))
del order
gc.collect()
alive = sum(1 for r in refs if r() is not None)
if alive > 100:
    print(f"LEAK: {alive} orders are still alive", file=sys.stderr)
