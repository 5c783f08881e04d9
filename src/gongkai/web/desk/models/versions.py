"""Version stamps of the rows the desk's process-wide caches are made from (see `desk.versions`)."""

from __future__ import annotations

from django.db import models


class Version(models.Model):
    """One watched group of tables; database triggers give `value` a fresh random number whenever
    any of its rows change (migration 0004), so no writer can forget to say so."""

    name = models.CharField(max_length=20, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
