"""`gongkai extract` as a user runs it: outputs, error lines, exit status."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gongkai.cli import main

from .conftest import CORPUS

SEED = CORPUS / "seeds" / "000_e754f61d84ee7fec.txt"


def test_json_of_one_file_is_the_canonical_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    gold = json.loads(SEED.with_name(SEED.stem + ".gold.json").read_text(encoding="utf-8"))
    assert {k: data[k] for k in gold} == gold


def test_csv_has_one_row_per_cell(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED), "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["file", "agency", "year", "format", "table", "row", "column", "value"]
    # 2021 format: 10 cells in table 二, 25 x 7 in table 三, 15 in table 四.
    assert len(rows) - 1 == 10 + 175 + 15


def test_bad_files_give_one_line_each_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "noise.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "letter.txt").write_text("这是一封普通的信，不是年度报告。", encoding="utf-8")
    (tmp_path / "truncated.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    code = main(["extract", str(tmp_path), str(SEED), "--json", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    error_lines = [line for line in err.splitlines() if line.startswith("错误")]
    assert len(error_lines) == 4
    assert all("Traceback" not in line for line in err.splitlines())
    written = json.loads((tmp_path / "out" / f"{SEED.name}.json").read_text(encoding="utf-8"))
    assert written["agency"] == "北关区曙光路街道办事处"


def test_parallel_jobs_keep_input_order(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted((CORPUS / "seeds").glob("*.txt"))
    assert main(["extract", *map(str, files), "--json", "--jobs", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["source"] for line in lines] == [str(f) for f in files]


def test_mis_encoded_gbk_text_still_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "gbk.txt"
    target.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16"))
    assert main(["extract", str(target), str(utf16), "--json"]) == 0
    reports = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["agency"] for r in reports] == ["北关区曙光路街道办事处"] * 2


def test_huge_and_mis_encoded_files_give_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # a sparse 100 MB file: nothing is written to disk
        handle.truncate(100 * 1024 * 1024)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Ümläüte und Ça va, kein Bericht".encode("latin-1") * 50)
    pdf = tmp_path / "cut.pdf"
    pdf.write_bytes((CORPUS / "real" / "hzq2024_working.pdf").read_bytes()[:5000])
    assert main(["extract", str(huge), str(latin), str(pdf), str(SEED), "--json", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    lines = {line.split("\t")[1]: line for line in err.splitlines() if line.startswith("错误")}
    assert "文件过大" in lines[str(huge)]
    assert str(latin) in lines and str(pdf) in lines
    assert "Traceback" not in err
    assert (tmp_path / f"{SEED.name}.json").exists()


def test_a_report_with_no_table_value_read_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gongkai.report import Report
    from gongkai.writing import text

    report = Report.blank("2021")
    report.agency, report.year = "示例区示例街道办事处", 2023
    empty = tmp_path / "empty-cells.txt"
    empty.write_bytes(text.write(report))
    assert main(["extract", str(empty), "--json"]) == 3
    assert "未能读出任何表格数值" in capsys.readouterr().err
    assert main(["extract", str(empty), str(SEED), str(tmp_path / "missing.txt"), "--json"]) == 1


@pytest.mark.parametrize("to_folder", [False, True])
def test_a_count_beyond_64_bits_is_written_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], to_folder: bool
) -> None:
    """orjson refuses integers beyond 64 bits; a misprinted 30-digit count must still come out."""
    huge = 123456789012345678901234567890
    text = SEED.read_text(encoding="utf-8").replace(
        "一、本年新收政府信息公开申请数量\t\t0\t", f"一、本年新收政府信息公开申请数量\t\t{huge}\t", 1
    )
    source = tmp_path / "huge.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["extract", str(source), "--json", *(["-o", str(out)] if to_folder else [])]) == 0
    written = (out / "huge.txt.json").read_text(encoding="utf-8") if to_folder else capsys.readouterr().out
    assert json.loads(written)["requests"]["received"]["natural_person"] == huge
