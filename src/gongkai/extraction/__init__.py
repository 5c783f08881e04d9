"""Extraction: a read `Document` becomes the canonical `Report`.

Layout never matters here: the document is flattened into a `Stream`, table regions are
found by their titles, rows by their declared labels, and values between labels are
decided with the table's own identities where the print leaves them open.
"""

from __future__ import annotations

import re
from functools import cache, partial

from ..formats import FORMAT_2019, FORMAT_2021, Format, Table, format_for_year
from ..limits import MAX_FIGURES, MAX_STATED_PROSE
from ..reading.document import Document
from ..report import Note, Report
from .meta import find_period_year, find_signature, find_title
from .narrative import SECTION_NUMBERS, figures_in, stated_cells
from .stream import CELL_SEP, Stream, label_pattern
from .tables import TableRead, read_labelled, read_run

FORMATS = (FORMAT_2021, FORMAT_2019)
NEXT_PART = re.compile(r"五\s*[、.．]")  # any part 五 ends table 四, whatever its title


class ExtractError(Exception):
    """The document holds no recognisable annual report."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def _titles(key: str) -> tuple[str, ...]:
    labels: list[str] = []
    for fmt in FORMATS:
        table = fmt.table(key)
        labels += [table.title, *table.title_variants]
    return tuple(dict.fromkeys(labels))


ANCHORS = {
    "proactive": ("第二十条第（一）项", "信息内容"),
    "requests": ("一、本年新收政府信息公开申请数量",),
    "appeals": ("行政复议",),
}


def _find(
    stream: Stream, labels: tuple[str, ...], start: int, ordinal: bool = False
) -> tuple[int, int] | None:
    return label_pattern(labels, ordinal).search(stream.text, start)


def _section_titles(number: int) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for fmt in FORMATS for t in fmt.sections[number]))


def _markers(stream: Stream, table: Table, start: int, end: int) -> int:
    return sum(1 for m in table.markers if label_pattern((m,), False).search(stream.text, start, end))


def _shape(stream: Stream, start: int, end: int, default: Format) -> Format:
    """Table 二's format when no column header tells (generic 数据1 … headers).

    The format whose rows are all printed wins (the 2019 format's 其他对外管理服务事项 and
    政府集中采购 rows are its own), then the one whose rows take more of the printed values;
    a tie keeps the default.
    """
    fit: dict[str, tuple[int, int]] = {}
    for fmt in FORMATS:
        table = fmt.table("proactive")
        read = read_labelled(stream, table, start, end)
        filled = sum(value is not None for row in read.grid.values() for value in row.values())
        fit[fmt.key] = (read.rows_found - len(table.rows), filled)
    if fit["2021"] == fit["2019"]:
        return default
    return FORMAT_2021 if fit["2021"] > fit["2019"] else FORMAT_2019


def extract(document: Document) -> Report:
    stream = Stream.of(document)
    text = stream.text

    # Table regions, in document order.
    bounds: dict[str, tuple[int, int]] = {}
    cursor = 0
    for key in ("proactive", "requests", "appeals"):
        match = _find(stream, _titles(key), cursor) or _find(stream, ANCHORS[key], cursor, True)
        if match:
            bounds[key] = match
            cursor = match[1]
    if not bounds:
        raise ExtractError(
            "未找到年度报告的统计表格（主动公开、依申请公开、行政复议诉讼三张表均不存在），不像一份政府信息公开工作年度报告",
            "no annual-report tables found (tables 二, 三 and 四 are all absent); not an annual report",
        )
    tail = _find(stream, _section_titles(4), cursor)
    next_part = NEXT_PART.search(text, cursor)
    end_of_tables = tail[0] if tail else next_part.start() if next_part else len(text)
    keys = list(bounds)
    regions = {
        key: (bounds[key][1], bounds[keys[i + 1]][0] if i + 1 < len(keys) else end_of_tables)
        for i, key in enumerate(keys)
    }

    agency, year = find_title(text)
    lines = text.split("\n")
    if agency is None or year is None:
        sign_agency, sign_year = find_signature(lines)
        agency = agency or sign_agency
        if year is None:
            year = find_period_year(text) or (sign_year - 1 if sign_year else None)

    default = format_for_year(year) if year else FORMAT_2021
    requests_fmt = default
    assumed = False  # table 三 prints neither format's rows (cut off before them)
    if "requests" in regions:
        start, end = regions["requests"]
        if _markers(stream, FORMAT_2021.table("requests"), start, end):
            requests_fmt = FORMAT_2021
        elif label_pattern(("（六）其他处理",)).search(text, start, end):
            requests_fmt = FORMAT_2019
        else:
            assumed = True
    proactive_fmt = requests_fmt
    if "proactive" in regions:
        start, end = regions["proactive"]
        score = {f.key: _markers(stream, f.table("proactive"), start, end) for f in FORMATS}
        if score["2021"] != score["2019"]:
            proactive_fmt = FORMAT_2021 if score["2021"] > score["2019"] else FORMAT_2019
        else:
            proactive_fmt = _shape(stream, start, end, requests_fmt)

    report = Report.blank(requests_fmt.key, proactive_fmt.key if proactive_fmt is not requests_fmt else None)
    report.agency = agency
    report.year = year
    report.source = document.path
    report.notes.extend(document.notes)
    chosen: dict[str, Format] = {
        "proactive": proactive_fmt,
        "requests": requests_fmt,
        "appeals": requests_fmt,
    }
    if assumed:
        report.notes.append(
            Note(
                "format-assumed",
                f"表三未印出区分两种格式的行（（六）其他处理），按报告年度推定为{requests_fmt.document}格式",
                f"table 三 prints no row telling the formats apart; format {requests_fmt.key} is assumed",
                "requests",
            )
        )
    prose = text[: min(MAX_STATED_PROSE, *(start for start, _ in bounds.values()))]  # part 一
    rows_found = 0
    for key in chosen:
        if key not in regions:
            table = chosen[key].table(key)
            report.notes.append(
                Note(
                    "missing-table",
                    f"{table.name_zh()}（{table.title}）在文件中未找到，其数值记为空",
                    f"table {table.number} ({key}) is not in the document; its cells are null",
                    key,
                )
            )
    for key, (start, end) in regions.items():
        table = chosen[key].table(key)
        read: TableRead = (
            read_run(stream, table, start, end)
            if key == "appeals"
            else read_labelled(stream, table, start, end, cache(partial(stated_cells, prose, table)))
        )
        setattr(report, key, read.grid)
        report.provenance.update(read.provenance)
        report.notes.extend(read.notes)
        report.labels.update(read.labels)
        rows_found += read.rows_found
    if not rows_found:
        raise ExtractError(
            "找到了表格标题，但没有找到任何表格行，无法读取数值",
            "table titles found but no table rows to read",
        )

    report.sections = _sections(stream)
    for number, body in report.sections.items():
        if number in ("一", "五", "六"):
            report.figures.extend(figures_in(body, number))
    if len(report.figures) > MAX_FIGURES:  # each is checked against the tables: bound that work
        report.notes.append(
            Note(
                "figures-capped",
                f"正文中的数字表述有 {len(report.figures)} 处，超过上限 {MAX_FIGURES}，"
                f"只核对前 {MAX_FIGURES} 处",
                f"the text states {len(report.figures)} figures, over the limit of {MAX_FIGURES}; "
                f"only the first {MAX_FIGURES} are checked",
            )
        )
        del report.figures[MAX_FIGURES:]
    return report


def _sections(stream: Stream) -> dict[str, str]:
    """The text of parts 一–六, found by their standard headings in order."""
    text = stream.text
    found: list[tuple[str, int, int]] = []
    cursor = 0
    for index, number in enumerate(SECTION_NUMBERS):
        match = _find(stream, _section_titles(index), cursor)
        if match:
            found.append((number, *match))
            cursor = match[1]
    sections = {}
    for i, (number, _, body_start) in enumerate(found):
        body_end = found[i + 1][1] if i + 1 < len(found) else len(text)
        sections[number] = text[body_start:body_end].replace(CELL_SEP, "\t").strip()
    return sections


__all__ = ["ExtractError", "extract"]
