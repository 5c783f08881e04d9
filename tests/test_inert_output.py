"""CSV and XLSX output never executes: text from documents is written as text (issue: hardening)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai.cli import main
from gongkai.report import Report
from gongkai.writing import write
from gongkai.writing.inert import inert_row, inert_text

from .conftest import CORPUS

SEED = CORPUS / "seeds" / "000_e754f61d84ee7fec"
HOSTILE = '=HYPERLINK("http://example.invalid/","点击")'


@pytest.mark.parametrize("text", [HOSTILE, "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_triggers_become_text(text: str) -> None:
    assert inert_text(text) == "'" + text


@pytest.mark.parametrize("text", ["-15", "+3", "0.0000", "-1.25", "东湖街道", "", "1=1"])
def test_plain_text_and_signed_numbers_stay(text: str) -> None:
    assert inert_text(text) == text


def test_rows_keep_numbers_and_none() -> None:
    assert inert_row((HOSTILE, -15, None, "-15")) == ("'" + HOSTILE, -15, None, "-15")


def _hostile_report() -> Report:
    data = json.loads(SEED.with_suffix(".gold.json").read_text(encoding="utf-8"))
    data["agency"] = HOSTILE
    data["proactive"]["fees"]["amount_10k_yuan"] = HOSTILE
    return Report.from_json(data)


def test_xlsx_holds_no_formula() -> None:
    blob = write(_hostile_report(), "xlsx")
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    workbook = load_workbook(io.BytesIO(blob))
    texts = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert HOSTILE in texts  # kept, as text
    assert all(c.data_type != "f" for ws in workbook.worksheets for row in ws.iter_rows() for c in row)


def test_extract_csv_writes_a_hostile_agency_and_file_name_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = SEED.with_suffix(".txt").read_text(encoding="utf-8")
    source = tmp_path / "=cmd.txt"
    source.write_text(HOSTILE + "2021年政府信息公开工作年度报告\n" + text, encoding="utf-8")
    assert main(["extract", source.name, "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert rows
    for row in rows:
        assert not any(field.startswith(("=", "+", "@", "\t", "\r")) for field in row)
        assert not any(field.startswith("-") and not field.lstrip("-").isdigit() for field in row)
    assert rows[0][:2] == ["'=cmd.txt", "'" + HOSTILE]


# XlsxWriter writes a string that starts with "<r>" and ends with "</r>" as raw rich-text XML
MARKUP = "<r><t>x</t></r></is></c><c><f>1+1</f></c><c><is><r><t>y</t></r>"


def texts_and_formulas(blob: bytes) -> tuple[list[object], bool]:
    """Every cell's value in an XLSX, and whether its sheets or shared strings hold a formula."""
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/") or n.startswith("xl/shared")]
        formula = any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in parts)
    workbook = load_workbook(io.BytesIO(blob))
    return [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row], formula


def test_batch_workbooks_write_markup_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    report = _hostile_report()
    report.agency = MARKUP
    (folder / "a.txt").write_bytes(write(report, "txt"))
    assert main(["batch", str(folder), "--out", str(tmp_path / "out"), "--no-progress", "--no-tables"]) == 0
    for name in ("dataset.xlsx", "findings.xlsx"):
        texts, formula = texts_and_formulas((tmp_path / "out" / name).read_bytes())
        assert not formula, name
    texts, _ = texts_and_formulas((tmp_path / "out" / "dataset.xlsx").read_bytes())
    assert any(isinstance(t, str) and MARKUP in t for t in texts)
