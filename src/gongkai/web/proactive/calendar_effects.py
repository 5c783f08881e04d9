"""What a calendar edit moves in the register: the Art. 26 due dates of unpublished items near the
edited day (registered with the calendar app's `effects`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from gongkai.web.calendar.effects import Message

from . import selectors
from .models import ItemState

REACH = timedelta(days=60)  # 20 working days plus the longest holidays
MAX_COMPARED = 5000
MAX_LISTED = 30


def publication_dues_near(user: AbstractBaseUser, day: date) -> Callable[[], list[Message]]:
    """The due dates of the unpublished items `user` sees formed near `day`, compared after the edit."""
    qs = selectors.items_for(user).filter(
        state__in=(ItemState.DRAFT, ItemState.IN_REVIEW, ItemState.RETURNED),
        formed__gte=day - REACH,
        formed__lte=day,
    )
    candidates = list(qs[:MAX_COMPARED])
    before = {item.pk: selectors.due(item).due for item in candidates}

    def moved() -> list[Message]:
        changed = [(i, before[i.pk], selectors.due(i).due) for i in candidates]
        changed = [c for c in changed if c[1] != c[2]]
        if not changed:
            return [(messages.INFO, _("没有待公开事项的公开期限因此变化"))]
        heading = _("%(n)d 件待公开事项的公开期限已随之重新计算：") % {"n": len(changed)}
        return [
            (messages.WARNING, heading),
            *(
                (
                    messages.WARNING,
                    _("“%(title)s”：%(old)s → %(new)s") % {"title": i.title, "old": old, "new": new},
                )
                for i, old, new in changed[:MAX_LISTED]
            ),
        ]

    return moved
