"""The register's forms: they only shape input; the services check it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.proactive.catalogue import CHANNELS, AgencyCatalogue
from gongkai.web.core.forms import date_field

from .models import KIND_CHOICES


class ItemForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=300)
    kind = forms.ChoiceField(label=_("信息类别"), choices=KIND_CHOICES, initial="other")
    area = forms.ChoiceField(label=_("目录领域"), required=False)
    matter1 = forms.CharField(label=_("一级事项"), max_length=200, required=False)
    matter2 = forms.CharField(label=_("二级事项"), max_length=200, required=False)
    channels = forms.MultipleChoiceField(
        label=_("公开渠道"),
        choices=[(c.key, c.name) for c in CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        initial=["website"],
    )
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    publisher = forms.CharField(label=_("发布机构"), max_length=200, required=False)
    formed = date_field(
        _("信息形成或变更日期"), help_text=_("自此日起20个工作日内公开（《条例》第二十六条）")
    )
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    issued = date_field(_("印发日期（规章、行政规范性文件）"), required=False)
    effective = date_field(_("施行日期"), required=False)
    expires = date_field(_("有效期至"), required=False)
    repealed = date_field(_("废止日期"), required=False)
    decisions = forms.IntegerField(
        label=_("处理决定数量（行政许可、处罚、强制）"), min_value=0, required=False
    )
    fee_yuan = forms.DecimalField(label=_("收费金额（元，行政事业性收费）"), min_value=0, required=False)

    def __init__(self, *args: Any, catalogue: AgencyCatalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = catalogue.covered_areas() if catalogue else ()
        self.fields["area"].choices = [("", _("（目录领域以外）")), *((a.key, a.name) for a in areas)]  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（DOCX、XLSX、PDF 或 JPEG/PNG 图片）"))


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))
