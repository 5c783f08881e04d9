"""What an edit of the calendar moves, told to the person who made it.

Due dates are derived, so an edit moves every open clock by itself; the calendar page then lists
what moved near the edited day. The calendar knows no clock: each app whose records count working
days registers a watcher here (in its `AppConfig.ready`), and the page asks them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.models import AbstractBaseUser

# (message level, text): django.contrib.messages levels, in Chinese.
Message = tuple[int, str]
# Called before the edit with the editor and the day; what it returns is called after the edit
# and tells what moved.
Watcher = Callable[[AbstractBaseUser, date], Callable[[], list[Message]]]

_WATCHERS: list[Watcher] = []


def watch(watcher: Watcher) -> None:
    """Register a watcher once (a second registration of the same function is ignored)."""
    if watcher not in _WATCHERS:
        _WATCHERS.append(watcher)


def before_edit(user: AbstractBaseUser, day: date) -> Callable[[], list[Message]]:
    """Ask every watcher what counts over `day` now; the result, called after the edit, says what moved."""
    afters = [watcher(user, day) for watcher in _WATCHERS]
    return lambda: [message for after in afters for message in after()]
