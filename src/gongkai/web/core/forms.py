"""Form pieces every app's forms share: the date widget, and the one-time token of a form."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django import forms

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(
    label: str | _StrPromise, *, required: bool = True, help_text: str | _StrPromise = ""
) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def one_time_token() -> str:
    """The hidden idempotency token: a double submission of one form registers one request."""
    return secrets.token_urlsafe(24)
