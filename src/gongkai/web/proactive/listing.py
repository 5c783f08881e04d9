"""The per-agency public listing (`PublicListing`): published counts per area and the version the
portal's page cache is keyed by. Only the register's services and the bulk loaders write it
(through here); `selectors` reads it."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db.models import Count

from .models import Item, ItemState, PublicListing


def new_version() -> int:
    """A fresh random non-zero version: never a counter, so a rolled-back change leaves no value
    that a later, different change could repeat."""
    return secrets.randbits(62) + 1


def changed(agency_id: int, area: str | None = None, delta: int = 0) -> None:
    """Within the caller's transaction: the agency's public pages changed (and `delta` items were
    published in `area`, negative when withdrawn). The row is locked, so concurrent publications
    of one agency count one after the other."""
    PublicListing.objects.get_or_create(agency_id=agency_id)
    row = PublicListing.objects.select_for_update().get(agency_id=agency_id)
    if area is not None and delta:
        row.counts[area] = max(0, int(row.counts.get(area, 0)) + delta)
    row.version = new_version()
    row.save(update_fields=("version", "counts"))


def recount(agency_ids: Iterable[int] | None = None) -> None:
    """Count again from the items (after a bulk load that bypassed the services); None: every agency."""
    items = Item.objects.filter(state=ItemState.PUBLISHED)
    ids = None if agency_ids is None else list(agency_ids)
    if ids is not None:
        items = items.filter(agency_id__in=ids)
    known = ids if ids is not None else PublicListing.objects.values_list("agency_id", flat=True)
    counts: dict[int, dict[str, int]] = {i: {} for i in known}
    for agency_id, area, n in items.values_list("agency_id", "area").annotate(n=Count("pk")).order_by():
        counts.setdefault(agency_id, {})[area] = n
    for agency_id, by_area in counts.items():
        PublicListing.objects.update_or_create(
            agency_id=agency_id, defaults={"counts": by_area, "version": new_version()}
        )
