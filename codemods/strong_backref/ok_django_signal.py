# Django signals hold receivers weakly by default: connecting a bound method is not a finding.
from django.dispatch import Signal

order_placed = Signal()


class Mailer:
    def __init__(self):
        order_placed.connect(self.on_order)

    def on_order(self, sender, **kwargs):
        pass
