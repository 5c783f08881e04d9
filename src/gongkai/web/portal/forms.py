"""The portal's one form: an online request, with the Art. 29 fields the staff registration has."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.web.requests.forms import ApplicantFields


class OnlineRequestForm(ApplicantFields):
    """The applicant portal: channel 网络 and the receipt date is the day of confirmation.

    `website` is a honeypot: hidden from people (and from screen readers), filled by form robots.
    """

    website = forms.CharField(label=_("请勿填写此项"), required=False)
