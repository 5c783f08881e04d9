"""The request pages' forms: they only shape and type the input; the services decide what is lawful.

Type errors (a bad date, an unknown choice, an extension over 20 working days) are caught here so
they can be shown in Chinese next to their field; everything the Regulation decides (one 补正
notice, 20 working days of extension in total) comes back from the services as `ServiceError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from html import escape
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.forms.widgets import Input
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gongkai.clock import ConsultationKind
from gongkai.clock import Method as FeeMethod
from gongkai.formats import FORMAT_2021
from gongkai.web.agencies import selectors as agencies
from gongkai.web.agencies.models import Agency, Role
from gongkai.web.agencies.permissions import AnyUser, ScopeKey, scope_key, visible_agencies
from gongkai.web.core import versions
from gongkai.web.core.forms import DateInput, date_field
from gongkai.writing.docx import MEDIA_TYPE as DOCX_MEDIA_TYPE

from .models import (
    OUTCOME_CHOICES,
    RECEIPT_RULE,
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantKind,
    Channel,
    Delivery,
    IdType,
    LetterKind,
    State,
)
from .services.requests import DEDICATED_OUTCOMES


def receipt_rules_help() -> str:
    """Art. 31, next to the date field: which day counts as received for each channel."""
    return "；".join(f"{Channel(c).label}：{rule}" for c, rule in RECEIPT_RULE.items())


ORGANISATIONS_ONLY = _("法人或者其他组织申请的填写")


class ApplicantFields(forms.Form):
    """What an applicant tells about themselves and the information sought (Art. 29)."""

    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请人姓名或名称"), max_length=200)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    id_number = forms.CharField(label=_("证件号码"), max_length=64)
    phone = forms.CharField(label=_("联系电话"), max_length=64, required=False)
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    email = forms.EmailField(label=_("电子邮箱"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=_("法定代表人或负责人"),
        max_length=100,
        required=False,
        help_text=_("法人或者其他组织申请的填写"),
    )
    contact_person = forms.CharField(
        label=_("联系人"), max_length=100, required=False, help_text=_("法人或者其他组织申请的填写")
    )
    content = forms.CharField(
        label=_("所需政府信息的内容描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明所需政府信息的名称、文号或者便于查询的其他特征性描述"),
    )
    delivery = forms.ChoiceField(label=_("获取信息的方式"), choices=Delivery.choices)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("address") or data.get("email")):
            self.add_error("phone", _("请至少填写一种联系方式（电话、地址或电子邮箱）"))
        return data


class RequestForm(ApplicantFields):
    """Registration by desk staff: the agency, the channel and the Art. 31 receipt date are chosen."""

    agency = forms.ModelChoiceField(label=_("受理机关"), queryset=Agency.objects.none())
    channel = forms.ChoiceField(label=_("申请方式"), choices=Channel.choices)
    received_on = date_field(_("收到申请日期"))

    field_order = ("agency", "channel", "received_on")

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
        self.fields["received_on"].help_text = receipt_rules_help()


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes as Django's widgets/attrs.html writes them: True bare, False left out, all escaped."""
    return "".join(
        f" {escape(k)}" if v is True else f' {escape(k)}="{escape(str(v))}"'
        for k, v in attrs.items()
        if v is not False
    )


class Options(BaseChoiceIterator):
    """Choices whose <option> list is rendered once: the cached choices of a scope (see
    `filter_scope`) serve every page as one string until the directory changes."""

    def __init__(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        self.pairs = tuple(pairs)

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return iter(self.pairs)

    @cached_property
    def html(self) -> str:
        return "".join(f'<option value="{escape(str(v))}">{escape(str(label))}</option>' for v, label in self)


class FastSelect(forms.Select):
    """A <select> built in Python: Django renders each option through a template, which a scope of
    500 agencies and their handlers turns into most of a list page's cost."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        options = (self.choices if isinstance(self.choices, Options) else Options(self.choices)).html
        values = value if isinstance(value, list | tuple) else [value]
        for chosen in {str(v) for v in values if v is not None}:
            option = f'<option value="{escape(chosen)}">'
            options = options.replace(option, f"{option[:-1]} selected>", 1)
        return mark_safe(f'<select name="{escape(name)}"{_attrs(final)}>{options}</select>')  # escaped


class FastInput(Input):
    """An <input> as Django's widgets/input.html writes it, without a template per field: the filter
    form above every list page has nine of them."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
        return mark_safe(
            f'<input type="{escape(widget["type"])}" name="{escape(name)}"{shown}{_attrs(widget["attrs"])}>'
        )


class FastTextInput(FastInput, forms.TextInput):
    pass


class FastNumberInput(FastInput, forms.NumberInput):
    pass


class FastDateInput(FastInput, DateInput):
    pass


class FastCheckboxInput(FastInput, forms.CheckboxInput):
    pass


class FilterForm(forms.Form):
    """The filters above the request list; its agency and handler choices are the user's scope."""

    q = forms.CharField(
        label=_("搜索（查询码、内容或申请人）"), required=False, max_length=200, widget=FastTextInput
    )
    agency = forms.TypedChoiceField(
        label=_("机关"), coerce=int, empty_value=None, required=False, widget=FastSelect
    )
    state = forms.ChoiceField(
        label=_("办理状态"), choices=[("", _("全部")), *State.choices], required=False, widget=FastSelect
    )
    handler = forms.TypedChoiceField(
        label=_("承办人"), coerce=int, empty_value=None, required=False, widget=FastSelect
    )
    mine = forms.BooleanField(label=_("只看我承办的"), required=False, widget=FastCheckboxInput)
    due = forms.IntegerField(
        label=_("N 个工作日内到期"), required=False, min_value=0, max_value=60, widget=FastNumberInput
    )
    overdue = forms.BooleanField(label=_("已超期"), required=False, widget=FastCheckboxInput)
    received_from = forms.DateField(label=_("收到日期自"), required=False, widget=FastDateInput())
    received_to = forms.DateField(label=_("收到日期至"), required=False, widget=FastDateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error(None, _("“收到日期自”不能晚于“收到日期至”，请改正日期范围"))
        return data

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        handler = self.fields["handler"]
        assert isinstance(agency, forms.ChoiceField) and isinstance(handler, forms.ChoiceField)
        self.scope = filter_scope(user)
        agency.choices, handler.choices = self.scope.agencies, self.scope.handlers

    @classmethod
    def blank(cls, user: AnyUser) -> SafeString:
        """The unfiltered row: the same on every page of a scope, so written once, without even
        making a form (which copies its nine fields) once it is known."""
        scope = filter_scope(user)
        if scope.blank_row is None:
            scope.blank_row = cls(None, user=user).inline()
        return mark_safe(scope.blank_row)  # escaped

    def inline(self) -> SafeString:
        """The filter row, written here rather than by a template loop over nine fields: the list
        page is the desk's busiest, and the loop was a fifth of its cost."""
        parts = [_errors(self.non_field_errors())]
        for field in self:
            label = f'<label for="{escape(field.id_for_label)}">{escape(str(field.label))}</label>'
            widget = field.as_widget()
            checkbox = isinstance(field.field.widget, forms.CheckboxInput)
            control = f"{widget} {label}" if checkbox else f"{label}{widget}"
            parts.append(f"<div>{control}{_errors(field.errors)}</div>")
        return mark_safe("\n".join(p for p in parts if p))  # escaped


def _errors(errors: Iterable[object]) -> str:
    items = "".join(f"<li>{escape(str(e))}</li>" for e in errors)
    return f'<ul class="errorlist">{items}</ul>' if items else ""


@dataclass
class FilterScope:
    """What the filter row offers one scope: its agencies, their 承办 people, the unfiltered row."""

    agencies: Options
    handlers: Options
    blank_row: str | None = None


EMPTY_CHOICE = ("", _("全部"))
_FILTER_SCOPES: versions.Cache[tuple[ScopeKey, str], FilterScope] = versions.Cache(versions.DIRECTORY)


def filter_scope(user: AnyUser) -> FilterScope:
    """The agencies `user` sees and the 承办 people there, kept until the directory changes."""

    def make() -> FilterScope:
        scope = visible_agencies(user)
        handlers = handlers_of(scope).values_list("pk", get_user_model().USERNAME_FIELD)
        return FilterScope(
            Options([EMPTY_CHOICE, *scope.values_list("pk", "name")]), Options([EMPTY_CHOICE, *handlers])
        )

    return _FILTER_SCOPES.get((scope_key(user), get_language()), make)


def handlers_of(scope: QuerySet[Agency]) -> QuerySet[Any]:
    """People with the 承办 role at these agencies (bounded: a choice list, not a directory)."""
    return agencies.members(scope, Role.HANDLE)


# Actions on one request ---------------------------------------------------------------------------


class OnForm(forms.Form):
    on = date_field(_("日期"))


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("承办人"), queryset=get_user_model().objects.none(), required=False, empty_label=_("（收回）")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = handlers_of(Agency.objects.filter(pk=agency.pk))


class SupplementForm(forms.Form):
    on = date_field(_("告知补正日期"), help_text=_("应在收到申请之日起 7 个工作日内一次性告知"))
    due = date_field(_("补正期限"))
    items = forms.CharField(label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsultationStartForm(forms.Form):
    party = forms.CharField(label=_("征求意见对象"), max_length=200)
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            (ConsultationKind.THIRD_PARTY.value, _("第三方（第三十二条）")),
            (ConsultationKind.OTHER_AGENCY.value, _("其他行政机关（第三十四条）")),
        ],
    )
    on = date_field(
        _("征求意见日期"), help_text=_("征求意见期间不计算在答复期限内；对方应在 15 个工作日内提出意见")
    )


class ConsultationEndForm(forms.Form):
    party = forms.CharField(label=_("征求意见对象"), max_length=200)
    on = date_field(_("收到意见日期"))
    opinion = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(forms.Form):
    workdays = forms.IntegerField(
        label=_("延长的工作日数"),
        min_value=1,
        max_value=20,
        help_text=_("延长期限最长不超过 20 个工作日（合计）"),
    )
    on = date_field(_("批准日期"))
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonsForm(forms.Form):
    """Art. 35: the number or frequency of the requests clearly exceeds what is reasonable."""

    on = date_field(_("要求说明理由日期"))
    reply_by = date_field(_("说明理由的期限"))
    grounds = forms.CharField(
        label=_("要求说明理由的原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("《条例》第三十五条：申请公开政府信息的数量、频次明显超过合理范围。答复期限照常计算"),
    )


class LaterDeadlineForm(forms.Form):
    """Art. 35: for a mass or repeated request whose reasons were found reasonable."""

    on = date_field(_("确定日期"))
    due = date_field(_("延迟答复的合理期限"))
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("《条例》第三十五条：申请数量、频次明显超过合理范围，申请理由合理但无法在法定期限内答复"),
    )


class FeeNoticeForm(forms.Form):
    on = date_field(_("收费通知送达日期"))
    method = forms.ChoiceField(
        label=_("计费方式"),
        choices=[(FeeMethod.PER_ITEM.value, _("按件计收")), (FeeMethod.PER_PAGE.value, _("按量计收"))],
        help_text=_("按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的标准自动计算金额"),
    )
    pages = forms.IntegerField(label=_("页数（按量计收时填写）"), min_value=1, required=False)


def outcome_choices() -> list[tuple[str, Any]]:
    """The 21 leaves of table 三 grouped as the table groups them; dedicated closings left out."""
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = {r.key: r for r in FORMAT_2021.table("requests").rows}
    for key, label in OUTCOME_CHOICES:
        if key in DEDICATED_OUTCOMES:
            continue
        group = rows[key].group
        groups.setdefault(group, []).append((key, rows[key].label if group else str(label)))
    choices: list[tuple[str, Any]] = [("", _("请选择"))]
    for group, items in groups.items():
        if group:
            choices.append((group, items))
        else:
            choices.extend(items)
    return choices


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=outcome_choices)
    legal_basis = forms.CharField(label=_("法律依据"), widget=forms.Textarea(attrs={"rows": 2}))
    on = date_field(_("答复日期"))


class WithdrawForm(forms.Form):
    on = date_field(_("撤回日期"))
    reason = forms.CharField(label=_("撤回说明"), required=False, max_length=500)


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=AppealKind.choices)
    filed_on = date_field(_("提起日期"))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AppealDecisionForm(forms.Form):
    appeal = forms.ModelChoiceField(label=_("案件"), queryset=Appeal.objects.none())
    result = forms.ChoiceField(label=_("结果"), choices=AppealResult.choices)
    decided_on = date_field(_("审结日期"))

    def __init__(self, *args: Any, pending: QuerySet[Appeal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["appeal"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = pending


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    description = forms.CharField(label=_("说明"), required=False, max_length=200)


class LetterForm(forms.Form):
    """The letters this user may issue for this request (`services.issuable_letters`)."""

    kind = forms.ChoiceField(label=_("文书类型"), choices=LetterKind.choices)
    on = date_field(_("出具日期"))
    number = forms.CharField(label=_("文号"), required=False, max_length=100)

    def __init__(self, data: Any = None, *, kinds: list[str]) -> None:
        super().__init__(data)
        labels = dict(LetterKind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]  # type: ignore[attr-defined]


class LetterSettingsForm(forms.Form):
    """What an agency's letters tell applicants (`Agency` letter settings)."""

    review_body = forms.CharField(
        label=_("行政复议机关"),
        max_length=200,
        required=False,
        help_text=_("如“示例区人民政府”，答复书中写明"),
    )
    court = forms.CharField(
        label=_("管辖法院"), max_length=200, required=False, help_text=_("如“示例区人民法院”，答复书中写明")
    )
    review_days = forms.IntegerField(label=_("申请行政复议期限（日）"), min_value=60, max_value=365)
    litigation_months = forms.IntegerField(label=_("提起行政诉讼期限（月）"), min_value=6, max_value=24)
    fee_payment = forms.CharField(
        label=_("信息处理费缴纳方式"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("收费通知书中写明，如收款单位、账号、开户行或非税收入缴款方式"),
    )


class LetterTemplateForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("机关"), queryset=Agency.objects.none())
    kind = forms.ChoiceField(label=_("文书类型"), choices=LetterKind.choices)
    outcome = forms.ChoiceField(
        label=_("适用的办理结果（仅答复书）"),
        required=False,
        choices=[("", _("全部办理结果")), *[(k, str(v)) for k, v in OUTCOME_CHOICES]],
    )
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}), required=False)
    # Checked in the service (a real DOCX, size, placeholders), which refuses with the reason.
    docx = forms.FileField(
        label=_("DOCX 模板文件"),
        required=False,
        widget=forms.FileInput(attrs={"accept": f".docx,{DOCX_MEDIA_TYPE}"}),
        help_text=_("不超过 5 MB 的 .docx 文件；文中只能使用本页列出的占位符"),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
