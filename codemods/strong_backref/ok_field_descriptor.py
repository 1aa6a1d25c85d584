# `base` is a field declared at class level (a descriptor): `self.base = self` goes through it, not into the
# instance: no finding.
from django.db import models


class Revision(models.Model):
    title = models.CharField(max_length=50)
    base = models.ForeignKey("self", null=True, on_delete=models.CASCADE)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.base:
            self.base = self
            super().save(*args, **kwargs)
