"""The register's forms: they only shape input; the services check it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.proactive.catalogue import AREAS, CHANNELS, AgencyCatalogue
from gongkai.web.agencies.models import Role
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


ROLE_BY_LABEL = {str(role.label): role.value for role in Role}


class SettingsForm(forms.Form):
    """An agency's register settings; the catalogue and the chain are entered as plain lines."""

    covered = forms.MultipleChoiceField(
        label=_("公开目录涵盖的领域"),
        choices=[(a.key, a.name) for a in AREAS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    not_applicable = forms.CharField(
        label=_("未涉及的领域及说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一项：领域名称：说明，如“涉农补贴：本街道辖区无农业生产经营主体。”"),
    )
    matters = forms.CharField(
        label=_("公开事项（一级事项、二级事项）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "每行一项：领域名称：一级事项—二级事项（无二级事项时只写一级事项），"
            "如“社会救助：最低生活保障—城市低保对象认定”"
        ),
    )
    index_rule = forms.CharField(
        label=_("索引号规则"), max_length=200, help_text=_("如 {org_code}/{year}-{area_code}-{seq:05d}")
    )
    org_code = forms.CharField(label=_("机构代码"), max_length=64)
    review_chain = forms.CharField(
        label=_("审核流程"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一步：步骤名称：岗位（登记、承办、审核、负责人、管理员），如“初审：承办”"),
    )
    table_two = forms.BooleanField(label=_("年度报告表二由登记簿统计"), required=False)
    office = forms.CharField(label=_("政府信息公开工作机构"), max_length=200, required=False)
    address = forms.CharField(label=_("办公地址"), max_length=300, required=False)
    hours = forms.CharField(label=_("办公时间"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=64, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=16, required=False)
    reading_points = forms.CharField(
        label=_("公开查阅点"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, catalogue: AgencyCatalogue | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_areas = catalogue.own_areas if catalogue else ()
        own = [(a.key, a.name) for a in self.own_areas]
        self.fields["covered"].choices = [(a.key, a.name) for a in AREAS] + own  # type: ignore[attr-defined]

    def clean_matters(self) -> dict[str, list[dict[str, str]]]:
        """{area key: [{level1, level2}]} from lines "领域：一级事项—二级事项"; the service checks
        that each area is covered."""
        by_name = {a.name: a.key for a in (*AREAS, *self.own_areas)}
        matters: dict[str, list[dict[str, str]]] = {}
        for line in _lines(self.cleaned_data["matters"]):
            name, matter = _split(line)
            if name not in by_name:
                raise forms.ValidationError(_("未知的领域：%(name)s") % {"name": name})
            level1, _dash, level2 = matter.replace("--", "—").partition("—")
            if not level1.strip():
                raise forms.ValidationError(_("缺少一级事项：%(line)s") % {"line": line})
            matters.setdefault(by_name[name], []).append({"level1": level1.strip(), "level2": level2.strip()})
        return matters

    def clean_not_applicable(self) -> dict[str, str]:
        by_name = {a.name: a.key for a in AREAS}
        notes = {}
        for line in _lines(self.cleaned_data["not_applicable"]):
            name, note = _split(line)
            if name not in by_name:
                raise forms.ValidationError(_("未知的领域：%(name)s") % {"name": name})
            notes[by_name[name]] = note
        return notes

    def clean_review_chain(self) -> list[list[str]]:
        chain = []
        for line in _lines(self.cleaned_data["review_chain"]):
            name, role = _split(line)
            if role not in ROLE_BY_LABEL:
                raise forms.ValidationError(_("未知的岗位：%(role)s") % {"role": role})
            chain.append([name, ROLE_BY_LABEL[role]])
        return chain

    @staticmethod
    def initial_from(settings: Any) -> dict[str, Any]:
        labels = {role.value: str(role.label) for role in Role}
        catalogue = settings.catalogue or {}
        names = {a.key: a.name for a in AREAS} | {
            str(a.get("key")): str(a.get("name")) for a in catalogue.get("own_areas", [])
        }
        return {
            "covered": catalogue.get("covered", []),
            "matters": "\n".join(
                f"{names.get(k, k)}：{m['level1']}" + (f"—{m['level2']}" if m.get("level2") else "")
                for k, items in catalogue.get("matters", {}).items()
                for m in items
            ),
            "not_applicable": "\n".join(
                f"{names.get(k, k)}：{v}" for k, v in catalogue.get("not_applicable", {}).items()
            ),
            "review_chain": "\n".join(f"{n}：{labels.get(r, r)}" for n, r in settings.review_chain),
            **{
                f: getattr(settings, f)
                for f in ("index_rule", "org_code", "table_two", "office", "address", "hours", "phone")
            },
            "postcode": settings.postcode,
            "reading_points": settings.reading_points,
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _split(line: str) -> tuple[str, str]:
    name, sep, rest = line.replace(":", "：").partition("：")
    if not sep or not name.strip() or not rest.strip():
        raise forms.ValidationError(_("格式应为“名称：内容”：%(line)s") % {"line": line})
    return name.strip(), rest.strip()
