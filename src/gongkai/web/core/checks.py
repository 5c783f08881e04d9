"""Input checks shared by every app's services, each failing with a Chinese message."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from .errors import InvalidInput

EARLIEST = date(2008, 5, 1)  # the first Regulation took effect; no record is older


def as_date(value: object, label: str, *, future: bool = False) -> date:
    """A date from a date or an ISO string; never in the future unless `future`."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                f"{label}格式不正确：“{value}”，应为 YYYY-MM-DD", f"{label}: not an ISO date: {value!r}"
            ) from None
    if not isinstance(value, date):
        raise InvalidInput(f"请填写{label}", f"{label}: a date is required")
    if value < EARLIEST:
        raise InvalidInput(f"{label}不能早于 {EARLIEST}", f"{label}: before {EARLIEST}")
    if not future and value > timezone.localdate():
        raise InvalidInput(f"{label}不能晚于今天", f"{label}: in the future")
    return value


def text(value: object, label: str, *, required: bool = True, max_length: int | None = None) -> str:
    result = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{label}应为文字", f"{label}: text expected")
    if required and not result:
        raise InvalidInput(f"请填写{label}", f"{label}: required")
    if max_length is not None and len(result) > max_length:
        raise InvalidInput(f"{label}不能超过 {max_length} 个字", f"{label}: longer than {max_length}")
    return result


def choice(value: object, allowed: Iterable[str], label: str) -> str:
    allowed = set(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput(f"{label}不在可选范围内：“{value}”", f"{label}: unknown value {value!r}")
    return value


def integer(value: object, label: str, low: int, high: int) -> int:
    try:
        number = int(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None:
        raise InvalidInput(f"{label}应为整数", f"{label}: an integer is required")
    if not low <= number <= high:
        raise InvalidInput(f"{label}应在 {low} 至 {high} 之间", f"{label}: outside {low}..{high}")
    return number


def data(**items: Any) -> dict[str, Any]:
    """Event data without empty values."""
    return {k: v for k, v in items.items() if v not in (None, "")}
