"""Forms of the office's daily tools: 催办, transfer, sign-off, the ledger import, bulk actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gongkai.web.agencies.models import Agency

from .forms import handlers_of, outcome_choices
from .models import SIGNOFF_ROLES, Request
from .services.bulk import MAX_BULK


class UrgeForm(forms.Form):
    note = forms.CharField(label=_("催办意见"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(label=_("转办给"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("转办理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = request.agency.path.split(".", 1)[0] + "."
        field = self.fields["to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(path__startswith=root).exclude(pk=request.agency_id)


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DraftForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=outcome_choices)
    legal_basis = forms.CharField(label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 2}))
    letter_number = forms.CharField(label=_("答复书文号"), max_length=100, required=False)
    letter_text = forms.CharField(
        label=_("答复书正文"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )


class SignoffForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("签批意见"),
        choices=[("sign", _("同意")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("意见"), required=False, max_length=500)


class ChainForm(forms.Form):
    steps = forms.MultipleChoiceField(
        label=_("签批步骤（按审核、负责人的顺序）"),
        choices=[(r.value, r.label) for r in SIGNOFF_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则由审核人员直接答复；可只设一步"),
    )


class LedgerUploadForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("导入到机关"), queryset=Agency.objects.none())
    file = forms.FileField(label=_("台账文件（XLSX 或 CSV）"))

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies


class BulkForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, label=_("选中的申请"))
    action = forms.ChoiceField(
        label=_("批量操作"),
        choices=[("assign", _("分配承办人")), ("urge", _("催办")), ("archive", _("归档"))],
    )
    handler = forms.ModelChoiceField(
        label=_("承办人（分配时）"), queryset=get_user_model().objects.none(), required=False
    )
    note = forms.CharField(label=_("催办意见（催办时）"), max_length=200, required=False)
    on = forms.DateField(label=_("归档日期（归档时）"), required=False)

    def __init__(self, *args: Any, ids: list[int], agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ids"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i, i) for i in ids[:MAX_BULK]]
        handler = self.fields["handler"]
        assert isinstance(handler, forms.ModelChoiceField)
        handler.queryset = handlers_of(agencies)
