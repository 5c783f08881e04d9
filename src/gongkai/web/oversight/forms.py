"""The official form online: tables 二/三/四 laid out from the format declarations, one input per
cell named by its canonical key, the parts' text, and the identities the page's script shows live."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from gongkai.formats import CellRef, Kind, format_for_year
from gongkai.report import TABLE_KEYS, Report
from gongkai.web.agencies.models import Agency
from gongkai.web.core.errors import InvalidInput
from gongkai.writing.narrative import parts

from .services import parse_value

SECTION_LIMIT = 20000


def blank(agency: Agency, year: int) -> Report:
    """A report of zeros in the year's format (typed over), its parts pre-filled with the narrative
    drafts to edit."""
    report = Report.blank(format_for_year(year).key, zero=True)
    report.agency, report.year = agency.name, year
    report.sections = {part.number: "\n".join(part.paragraphs) for part in parts(report)}
    return report


def tables(report: Report) -> list[dict[str, Any]]:
    """Each table's rows with their cells, as the template draws them."""
    drawn = []
    for key in TABLE_KEYS:
        table = report.table(key)
        rows = []
        for number, row in enumerate(table.rows):
            cells = [
                {
                    "key": str(CellRef(key, row.key, column.key)),
                    "label": column.short or column.label,
                    "value": "" if (v := report.get(CellRef(key, row.key, column.key))) is None else v,
                    "numeric": column.kind in (Kind.COUNT, Kind.SIGNED),
                    "column": index,
                }
                for index, column in enumerate(table.columns_of(row))
            ]
            rows.append(
                {
                    "label": f"{row.group}{row.label}" if row.group else row.label,
                    "cells": cells,
                    "row": number,
                }
            )
        drawn.append(
            {
                "key": key,
                "title": f"表{table.number}　{table.title.split('、', 1)[-1]}",
                "columns": [c.short or c.label for c in table.columns],
                "rows": rows,
            }
        )
    sections = [{"number": number, "text": text} for number, text in report.sections.items()]
    return [*drawn, {"key": "sections", "sections": sections}]


def identities(report: Report) -> list[dict[str, Any]]:
    """Every identity of the three tables by cell keys: the script sums both sides as cells are typed."""
    return [
        {"left": [str(c) for c in i.left], "right": [str(c) for c in i.right]}
        for key in TABLE_KEYS
        for i in report.table(key).identities
    ]


def report_from_post(report: Report, post: QueryDict) -> Report:
    """The report with every cell and part as typed; a malformed cell is refused with its name."""
    filled = Report.from_json(report.to_json())
    for key in TABLE_KEYS:
        table = filled.table(key)
        for ref in table.cells():
            if str(ref) not in post:
                continue
            try:
                filled.set(ref, parse_value(filled, ref, post.get(str(ref), "")))
            except InvalidInput as error:
                raise InvalidInput(f"{table.cell_zh(ref)}：{error.zh}", f"{ref}: {error.en}") from None
    for number in list(filled.sections):
        text = post.get(f"section.{number}")
        if text is not None:
            filled.sections[number] = text[:SECTION_LIMIT]
    filled.provenance = {}
    filled.notes = []
    return filled
