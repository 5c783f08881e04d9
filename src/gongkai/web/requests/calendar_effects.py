"""What a calendar edit moves among requests: the open ones near the edited day whose answer due
date changed (registered with the calendar app's `effects`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from gongkai.web.calendar.effects import Message

from . import selectors
from .models import OPEN_STATES, Request

# Requests received this long before an edited day can still be counting over it (20 + 20 working
# days, pauses of 15 and 20 working days, holidays); later ones do not count it at all.
REACH = timedelta(days=150)
MAX_COMPARED = 5000
MAX_LISTED = 30


def due_dates_near(user: AbstractBaseUser, day: date) -> Callable[[], list[Message]]:
    """The answer due dates of the open requests `user` sees near `day`, compared after the edit."""
    qs = selectors.requests(user).filter(
        state__in=OPEN_STATES, received_on__gte=day - REACH, received_on__lte=day
    )
    candidates: list[Request] = list(qs[:MAX_COMPARED])
    before = {pk: s.answer_due for pk, s in selectors.clock_states(candidates).items()}

    def moved() -> list[Message]:
        after = selectors.clock_states(candidates)
        changed = [
            (r, before[r.pk], after[r.pk].answer_due)
            for r in candidates
            if before[r.pk] != after[r.pk].answer_due
        ]
        if not changed:
            return [(messages.INFO, _("没有办理中申请的答复期限因此变化"))]
        heading = _("%(n)d 件办理中申请的答复期限已随之重新计算：") % {"n": len(changed)}
        return [
            (messages.WARNING, heading),
            *(
                (
                    messages.WARNING,
                    _("申请 #%(pk)s（%(agency)s）：%(old)s → %(new)s")
                    % {"pk": r.pk, "agency": r.agency.name, "old": old, "new": new},
                )
                for r, old, new in changed[:MAX_LISTED]
            ),
        ]

    return moved
