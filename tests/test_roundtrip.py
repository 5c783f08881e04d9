"""Render → read → the same report, for every layout the reader supports.

The reader must not care how a report is laid out: tab text like the seeds, one cell
per line with `|`, Markdown tables, HTML with merged cells, DOCX with merged cells, XLSX.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from gongkai.extraction import extract
from gongkai.formats import CellRef
from gongkai.reading import load_bytes
from gongkai.report import Report
from gongkai.writing import WRITERS

from .strategies import reports

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pipe_layout(text: str) -> str:
    """The seed-002 layout: one non-empty cell per line, each ending in ` |`."""
    out = []
    for line in text.splitlines():
        cells = [cell for cell in line.split("\t") if cell.strip()]
        out.extend(f"{cell} |" for cell in cells) if cells else out.append("")
    return "\n".join(out)


def assert_same(original: Report, data: bytes, name: str) -> None:
    read = extract(load_bytes(data, name))
    assert read.canonical() == original.canonical()
    # Nothing was guessed: every cell was printed, none inferred or split.
    assert not [n for n in read.notes if n.code in ("inferred", "undecidable", "missing-row")]
    one = CellRef("requests", "handled_total", "total")
    assert read.provenance[str(one)].get("how", "printed") == "printed"


@SETTINGS
@given(reports())
def test_tab_text(report: Report) -> None:
    assert_same(report, WRITERS["text"].write(report), "r.txt")


@SETTINGS
@given(reports())
def test_pipe_text(report: Report) -> None:
    text = pipe_layout(WRITERS["text"].write(report).decode("utf-8"))
    assert_same(report, text.encode("utf-8"), "r.txt")


@SETTINGS
@given(reports())
def test_gbk_text(report: Report) -> None:
    assert_same(report, WRITERS["text"].write(report).decode("utf-8").encode("gb18030"), "r.txt")


@SETTINGS
@given(reports())
def test_markdown(report: Report) -> None:
    assert_same(report, WRITERS["markdown"].write(report), "r.md")


@SETTINGS
@given(reports())
def test_html_with_merged_cells(report: Report) -> None:
    data = WRITERS["html"].write(report)
    assert b"rowspan" in data and b"colspan" in data
    assert_same(report, data, "r.html")


@SETTINGS
@given(reports())
def test_docx_with_merged_cells(report: Report) -> None:
    assert_same(report, WRITERS["docx"].write(report), "r.docx")


@SETTINGS
@given(reports())
def test_xlsx(report: Report) -> None:
    assert_same(report, WRITERS["xlsx"].write(report), "r.xlsx")
