"""Plain text and Markdown: one table row per line, labels first, readable by the text reader."""

from __future__ import annotations

import json

import pytest

from gongkai.reading import load_bytes
from gongkai.report import Report
from gongkai.writing import WRITERS, WriteError, write, writer_for

from .conftest import CORPUS
from .strategies import distinct_report


def sample(fmt: str) -> Report:
    return distinct_report(fmt, "某某街道办事处", 2023, "0.0000")


SEED = CORPUS / "seeds" / "000_e754f61d84ee7fec.gold.json"


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_text_rows_like_the_seeds(fmt: str) -> None:
    report = sample(fmt)
    lines = write(report, "txt").decode("utf-8").splitlines()
    assert lines[0] == "某某街道办事处2023年政府信息公开工作年度报告"
    for heading in [s[0] for s in report.fmt.sections]:
        assert heading in lines
    values = "\t".join(str(v) for v in report.requests["disclosed"].values())
    assert f"三、本年度办理结果\t（一）予以公开\t\t{values}" in lines
    secret = "\t".join(str(v) for v in report.requests["withheld_state_secret"].values())
    assert f"\t（三）不予公开\t1.属于国家秘密\t{secret}" in lines
    assert "\t\t2.其他法律行政法规禁止公开\t" in "\n".join(lines)
    assert "第二十条第（一）项\t\t\t" in lines
    table_lines = [line for line in lines if line.count("\t") == 9]
    assert len(table_lines) == len(report.table("requests").rows) + 3


def test_text_is_read_back_as_the_same_cells() -> None:
    report = sample("2021")
    document = load_bytes(write(report, "txt"), "report.txt")
    rows = [[c.text for c in line] for line in document.lines]
    assert ["四、结转下年度继续办理", "", "", *map(str, report.requests["carried_forward"].values())] in rows
    appeals = [str(v) for row in report.appeals.values() for v in row.values()]
    assert appeals in rows


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_markdown_pipe_tables(fmt: str) -> None:
    report = sample(fmt)
    report.sections = {"一": "1. 开头是数字的段落|含竖线", "五": "问题。", "六": "无。"}
    text = write(report, "md").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# 某某街道办事处2023年政府信息公开工作年度报告"
    assert "## 三、收到和处理政府信息公开申请情况" in lines
    assert "1\\. 开头是数字的段落|含竖线" in lines
    secret = " | ".join(str(v) for v in report.requests["withheld_state_secret"].values())
    assert f"|  | （三）不予公开 | 1.属于国家秘密 | {secret} |" in lines
    for row in report.table("requests").rows:
        assert sum(1 for line in lines if line.startswith("|") and f"| {row.label} |" in line) == 1
    separators = [line for line in lines if line and set(line) <= set("|- ")]
    assert len(separators) == 3


def test_json_and_registry() -> None:
    with open(SEED, encoding="utf-8") as f:
        gold = json.load(f)
    report = Report.from_json(gold)
    assert json.loads(write(report, "json")) == gold
    assert writer_for("report.DOCX").name == "docx" and writer_for(".md").name == "markdown"
    assert {w.suffix for w in WRITERS.values()} == {".docx", ".pdf", ".xlsx", ".html", ".md", ".txt", ".json"}
    with pytest.raises(WriteError):
        write(report, "odt")
