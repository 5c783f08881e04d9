"""The calendar page's form: days off or make-up working days, one day or a range."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.web.core.forms import date_field


class CalendarDayForm(forms.Form):
    """One day, or a range of days set alike (a holiday's rest days from the notice)."""

    date = date_field(_("日期（起）"))
    until = date_field(_("至（含，可不填）"), required=False)
    is_workday = forms.TypedChoiceField(
        label=_("安排"),
        choices=[("0", _("休息（法定节假日）")), ("1", _("上班（调休工作日）"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("名称"), required=False, max_length=100, help_text=_("如“春节”“调休上班”"))
