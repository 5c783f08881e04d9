"""`gongkai batch`: outputs that agree with each other, last year paired, re-runs skip what did not change."""

from __future__ import annotations

import csv
import marshal
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

import gongkai
from gongkai import cli, dataset
from gongkai.batch import map_files
from gongkai.formats import CellRef
from gongkai.rollup import roll_up
from gongkai.writing import text

from .conftest import CORPUS
from .strategies import distinct_report

THIS_YEAR = CORPUS / "real" / "2024_township_pingtan_suping.txt"
OTHERS = [
    CORPUS / "real" / f"{name}.txt" for name in ("2021_citydept_pingtan_gaj", "2022_township_pingtan_junshan")
]
FORMULA_AGENCY = '=HYPERLINK("http://example.invalid")示例街道办事处'


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """Three corpus reports, last year's report of one of them (the same part 一, carry-over broken),
    a report whose agency name is a spreadsheet formula, and a file that is no report."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in (THIS_YEAR, *OTHERS):
        (folder / path.name).write_bytes(path.read_bytes())
    last = gongkai.read(THIS_YEAR)
    last.year = 2023
    forward = CellRef("requests", "carried_forward", "total")
    last.set(forward, int(last.get(forward) or 0) + 4)
    (folder / "2023_suping.txt").write_bytes(text.write(last))
    formula = gongkai.read(OTHERS[0])
    formula.agency = FORMULA_AGENCY
    (folder / "formula.txt").write_bytes(text.write(formula))
    (folder / "notes.txt").write_text("会议纪要：今天天气很好。\n", encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(["batch", *argv])
    return code, capsys.readouterr().err


def _same(value: object) -> str:
    """A value as CSV and XLSX both hold it: 1.0 and 1 alike, None and "" alike."""
    if value is None or value == "":
        return ""
    try:
        return repr(float(str(value)))
    except ValueError:
        return str(value)


def _csv(out: Path) -> list[dict[str, str]]:
    with open(out / "dataset.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_outputs_exist_agree_with_each_other_and_pair_last_year(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, err = run(capsys, str(reports), "--out", str(out), "--jobs", "2")
    assert code == 1  # one file is no report
    assert f"错误\t{reports / 'notes.txt'}\t" in err
    assert "读取 6 份，未变跳过 0 份，失败 1 份，计入 5 个机关年度" in err

    rows = _csv(out)
    assert len(rows) == 5 and list(rows[0]) == list(dataset.HEADER)
    sheet = load_workbook(out / "dataset.xlsx", read_only=True)["数据"]
    xlsx_rows = [[_same(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows[0] == list(dataset.HEADER)
    assert xlsx_rows[1:] == [[_same(v.removeprefix("'")) for v in row.values()] for row in rows]
    pyarrow = pytest.importorskip("pyarrow.parquet")  # the optional extra `data`; installed by scripts/setup
    table = pyarrow.read_table(out / "dataset.parquet").to_pylist()
    assert [r["requests.received.total"] for r in table] == [
        int(r["requests.received.total"]) if r["requests.received.total"] else None for r in rows
    ]

    findings_sheet = load_workbook(out / "findings.xlsx", read_only=True)["检查发现"]
    findings = list(findings_sheet.iter_rows(values_only=True))
    counted = sum(int(r["errors"]) + int(r["warnings"]) + int(r["notices"]) for r in rows)
    assert len(findings) - 1 == counted > 0
    fingerprints = [(f[0], f[-1]) for f in findings[1:]]  # a fingerprint names a finding within a report
    assert len(set(fingerprints)) == len(fingerprints)

    current = next(r for r in rows if r["file"].endswith(THIS_YEAR.name))
    assert current["previous_file"].endswith("2023_suping.txt")
    assert float(current["similarity.一"]) == 1.0
    assert current["similarity.五"] == ""  # this year's report prints no part 五: nothing to compare
    r5 = [f for f in findings if f[3] == "R5" and f[0] == current["file"]]
    assert {f[7] for f in r5} == {"requests.carried_over.total"}
    provenance = gongkai.read(THIS_YEAR).provenance  # whose: the reader's when it split the digits
    decided = provenance["requests.carried_over.total"].get("how") in ("split", "inferred")
    assert [f[5] for f in r5] == ["读取推断" if decided else "机关填报"]
    assert any(f[3] == "R15" and f[0] == current["file"] for f in findings)

    tables = sorted(p.relative_to(out / "tables").as_posix() for p in (out / "tables").rglob("*.xlsx"))
    assert "平潭综合实验区苏平片区管理局/2023.xlsx" in tables and len(tables) == 5
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 3 and "<script" not in page and "src=" not in page and "<link" not in page
    assert "实质公开率" in page and "notes.txt" in page


def test_no_text_from_a_document_becomes_a_formula(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(capsys, str(reports), "--out", str(out), "--no-tables")
    rows = _csv(out)
    assert f"'{FORMULA_AGENCY}" in {r["agency"] for r in rows}
    assert not any(value.startswith("=") for row in rows for value in row.values())
    for name in ("dataset.xlsx", "findings.xlsx"):
        book = load_workbook(out / name)
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert FORMULA_AGENCY in {c.value for c in cells}
        assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_a_second_run_skips_every_file_and_a_changed_file_is_read_again_alone(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(capsys, str(reports), "--out", str(out))
    workbooks = {p: p.stat().st_mtime_ns for p in (out / "tables").rglob("*.xlsx")}
    before = _csv(out)
    before_by_file = {r["file"]: r for r in before}

    code, err = run(capsys, str(reports), "--out", str(out))
    assert code == 1 and "读取 0 份，未变跳过 6 份，失败 1 份" in err
    assert f"错误\t{reports / 'notes.txt'}\t" in err  # a failure is still told, from the cache
    assert _csv(out) == before
    assert {p: p.stat().st_mtime_ns for p in workbooks} == workbooks

    changed = reports / "2023_suping.txt"
    last = gongkai.read(changed)
    last.set(CellRef("requests", "received", "total"), 999)
    carried = CellRef("requests", "carried_over", "total")  # now agrees with this year's: R5 goes
    last.set(CellRef("requests", "carried_forward", "total"), gongkai.read(THIS_YEAR).get(carried))
    changed.write_bytes(text.write(last))
    os.utime(changed)
    code, err = run(capsys, str(reports), "--out", str(out))
    assert "读取 1 份，未变跳过 5 份" in err
    rewritten = {p for p in workbooks if p.stat().st_mtime_ns != workbooks[p]}
    folder = out / "tables" / "平潭综合实验区苏平片区管理局"
    assert rewritten == {folder / "2023.xlsx"}  # a workbook holds its own year only
    after = {r["file"]: r for r in _csv(out)}
    assert after[str(changed)]["requests.received.total"] == "999"
    # the unchanged 2024 report is checked again against the changed year before it
    this_year = str(reports / THIS_YEAR.name)
    assert after[this_year]["previous_file"] == str(changed)
    assert int(after[this_year]["errors"]) == int(before_by_file[this_year]["errors"]) - 1
    findings = load_workbook(out / "findings.xlsx", read_only=True)["检查发现"].iter_rows(values_only=True)
    assert not [f for f in findings if f[3] == "R5" and f[0] == this_year]


def test_a_lost_cache_is_rebuilt_by_reading_again(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(capsys, str(reports), "--out", str(out), "--no-tables")
    before = _csv(out)
    for database in out.glob("cache-*.sqlite*"):
        database.unlink()
    code, err = run(capsys, str(reports), "--out", str(out), "--no-tables")
    assert code == 1 and "读取 6 份，未变跳过 0 份，失败 1 份" in err
    assert _csv(out) == before


def test_with_region_the_regions_own_report_is_checked_against_the_sum_of_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "district"
    folder.mkdir()
    members = [distinct_report("2021", agency=name, year=2023) for name in ("甲街道办事处", "乙街道办事处")]
    members[1].set(CellRef("requests", "received", "total"), 7)
    own = roll_up(members, agency="示例区人民政府").report
    seeded = CellRef("requests", "received", "total")
    own.set(seeded, int(own.get(seeded) or 0) + 3)
    for index, report in enumerate((*members, own)):
        (folder / f"{index}.txt").write_bytes(text.write(report))
    out = tmp_path / "out"
    run(capsys, str(folder), "--out", str(out), "--no-tables", "--region", "示例区人民政府")
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert "与示例区人民政府本级报告核对" in page
    listed = re.findall(r"<td>(requests\.[a-z_.]+)</td>", page.split("本级报告核对")[1])
    assert listed == [str(seeded)]
    summed = int(members[0].get(seeded) or 0) + 7
    assert f"下级合计 {summed}，本级报告填报 {summed + 3}，相差 3" in page


def _double(value: int) -> int:
    return value * 2


def test_workers_draw_files_a_window_at_a_time_and_keep_their_order() -> None:
    drawn = []

    def items() -> Iterator[int]:
        for value in range(40):
            drawn.append(value)
            yield value

    results = map_files(_double, items(), jobs=2, window=8)
    first = [next(results) for _ in range(3)]
    time.sleep(0.3)  # time for the pool's feeder to draw all it may
    assert first == [0, 2, 4]
    assert len(drawn) <= 3 + 8 + 1  # taken, in flight and the one waiting for a slot
    assert first + list(results) == [2 * v for v in range(40)]


def test_rows_past_excels_limit_stay_in_the_csv_and_are_said_to(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai import batch_cli

    monkeypatch.setattr(batch_cli._Book, "LAST_ROW", 3)  # the header and three rows
    out = tmp_path / "out"
    _, err = run(capsys, str(reports), "--out", str(out), "--no-tables")
    assert len(_csv(out)) == 5
    sheet = load_workbook(out / "dataset.xlsx", read_only=True)["数据"]
    assert len(list(sheet.iter_rows(values_only=True))) == 4
    assert f"注意\t{out / 'dataset.xlsx'}\t超出 Excel 的行数上限，另有 2 行只写入 CSV 和 Parquet" in err


def test_a_file_that_cannot_be_opened_is_told_and_the_rest_are_read(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (reports / "gone.txt").symlink_to(tmp_path / "nowhere.txt")  # listed, but nothing to open
    out = tmp_path / "out"
    code, err = run(capsys, str(reports), "--out", str(out), "--no-tables")
    assert code == 1
    assert f"错误\t{reports / 'gone.txt'}\t无法打开文件" in err
    assert "共 7 份：读取 6 份，未变跳过 0 份，失败 2 份，计入 5 个机关年度" in err
    assert len(_csv(out)) == 5 and "gone.txt" in (out / "summary.html").read_text(encoding="utf-8")


def test_the_cache_takes_what_json_would_write_and_gives_back_plain_values() -> None:
    from gongkai.batch_cli import _packed
    from gongkai.checks import Severity

    data = {"kind": Severity.ERROR, "cells": [1, None, "7"], "big": 2**70}
    back = marshal.loads(_packed(data))
    assert back == {"kind": "error", "cells": [1, None, "7"], "big": 2**70}
    assert type(back["kind"]) is str


def test_a_file_too_large_to_be_a_report_is_hashed_without_being_held(tmp_path: Path) -> None:
    import tracemalloc

    from gongkai.batch_cli import Task, read_file
    from gongkai.limits import MAX_FILE_BYTES

    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # sparse: no disk, but its size says it is no report
        handle.truncate(MAX_FILE_BYTES + 1)
    tracemalloc.start()
    try:
        done = read_file(Task(str(huge), str(tmp_path / "cache.sqlite"), workbook=False))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_FILE_BYTES // 8
    assert done.stored is not None and done.stored.failure is not None and "文件过大" in done.stored.failure
    assert len(done.sha256) == 64


def test_the_runs_own_outputs_are_never_its_inputs(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = reports / "out"  # inside DIR: a second run must not read dataset.csv or summary.html
    assert run(capsys, str(reports), "--out", str(out), "--no-tables")[0] == 1  # notes.txt is no report
    (reports / "linked.txt").symlink_to(out / "dataset.csv")  # a link into OUT is OUT's as well
    code, err = run(capsys, str(reports), "--out", str(out), "--no-tables")
    assert code == 1
    assert "共 6 份：读取 0 份，未变跳过 6 份" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_workbook_that_cannot_be_written_stops_the_run_with_a_reason(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    out = tmp_path / "out"
    (out / "findings.xlsx.partial").mkdir(parents=True)  # where the workbook would be written
    with pytest.raises(SystemExit) as stopped:
        run(capsys, str(reports), "--out", str(out), "--no-tables", "--jobs", jobs)
    said = str(stopped.value) + capsys.readouterr().err
    assert f"错误\t{out / 'findings.xlsx'}\t无法写入" in said
    assert not (out / "findings.xlsx").exists()
