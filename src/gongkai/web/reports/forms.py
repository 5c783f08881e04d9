"""The report page's forms: table 二's entered figures and the written parts, labelled as printed."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.formats import FORMAT_2021, Kind
from gongkai.report import Report
from gongkai.writing.narrative import parts


def figures_form(data: Any = None, initial: dict[str, dict[str, Any]] | None = None) -> forms.Form:
    """Table 二's entered figures as one field per cell, named `<row>.<column>`, labelled as printed."""
    table = FORMAT_2021.table("proactive")
    form = forms.Form(data)
    for row in table.rows:
        for column in table.columns_of(row):
            name = f"{row.key}.{column.key}"
            label = f"{row.caption} {row.label}：{column.label}"
            value = (initial or {}).get(row.key, {}).get(column.key)
            if column.kind is Kind.MONEY:
                form.fields[name] = forms.DecimalField(
                    label=label, required=False, min_value=0, decimal_places=4, initial=value
                )
            else:
                form.fields[name] = forms.IntegerField(
                    label=label, required=False, min_value=0, initial=value
                )
    return form


def figures_data(form: forms.Form) -> dict[str, dict[str, Any]]:
    """The cleaned figures as the service takes them: {row: {column: value}}."""
    data: dict[str, dict[str, Any]] = {}
    for name, value in form.cleaned_data.items():
        row, column = name.split(".", 1)
        data.setdefault(row, {})[column] = "" if value is None else str(value)
    return data


def narrative_form(report: Report, data: Any = None) -> forms.Form:
    """The written parts (一, 五, 六) as text areas headed as printed; parts 二–四 are the tables."""
    form = forms.Form(data)
    for part in parts(report):
        if not part.table:
            form.fields[f"part_{part.number}"] = forms.CharField(
                label=part.heading,
                required=False,
                initial="\n".join(part.paragraphs),
                widget=forms.Textarea(attrs={"rows": 8}),
            )
    return form
