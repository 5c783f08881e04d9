"""`gongkai check`: exit status, the three outputs, and last year's report found beside this one."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from gongkai import check_cli
from gongkai.checks.document import deadline, find_published
from gongkai.checks.levels import Level, level_of
from gongkai.report import Report
from gongkai.writing import text

from .conftest import CORPUS

SEED = next((CORPUS / "seeds").glob("001_*.txt"))
BROKEN = CORPUS / "real" / "2022_township_pingtan_junshan.txt"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="gongkai")
    check_cli.add_parser(parser.add_subparsers())
    args = parser.parse_args(["check", *argv])
    code: int = args.run(args)
    return code


def test_clean_report_exits_0_with_text_grouped_by_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(SEED)) == 0
    out = capsys.readouterr().out
    assert "表三 依申请公开" in out and "[提示] X-INFERRED" in out and "错误 0 项" in out


def test_errors_exit_1_and_json_names_rule_cells_and_locations(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(BROKEN), "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    r2 = [f for f in data["findings"] if f["rule"] == "R2"]
    assert {f["cells"][-1] for f in r2} >= {"requests.handled_total.total"}
    assert all(f["severity"] == "error" and f["message"] and f["message_en"] for f in r2)
    assert all("line" in loc for f in r2 for loc in f["locations"])
    assert "表三“（七）总计”行“总计”列：各项办理结果之和为 5，表中填报 0" in {f["message"] for f in r2}


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing.txt")) == 2


def test_html_is_one_self_contained_page_with_failing_cells_marked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(str(BROKEN), "--format", "html") == 1
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert not any(external in page for external in ("<script", "<link", "src=", "url("))
    assert 'data-cell="requests.handled_total.total" class="error"' in page


def _year(tmp: Path, year: int, forward: int = 0, over: int = 0) -> Path:
    report = Report.blank("2021", zero=True)
    report.agency, report.year = "示例区示例街道办事处", year
    for row, value in (("carried_forward", forward), ("carried_over", over)):
        report.requests[row]["natural_person"] = value
        report.requests[row]["total"] = value
    # 一 + 二 = (七) + 四 with nothing negative: what is carried over and not forward was answered.
    received, answered = max(forward - over, 0), max(over - forward, 0)
    for row, value in (("received", received), ("disclosed", answered), ("handled_total", answered)):
        report.requests[row]["natural_person"] = value
        report.requests[row]["total"] = value
    path = tmp / f"{year}.txt"
    path.write_bytes(text.write(report))
    return path


def test_last_years_report_is_found_in_the_same_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _year(tmp_path, 2022, forward=2)
    this = _year(tmp_path, 2023, over=0)
    assert run(str(this), "--format", "json") == 1
    carry = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "R5"]
    assert {f["cells"][0] for f in carry} == {
        "requests.carried_over.natural_person",
        "requests.carried_over.total",
    }


def test_previous_given_explicitly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    last = _year(tmp_path / "a", 2022, forward=2)
    this = _year(tmp_path / "b", 2023, forward=2, over=2)  # received 0: a valid report
    assert run(str(this), "--previous", str(last), "--format", "json") == 0
    assert not [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "R5"]


def test_publication_date_and_deadlines() -> None:
    assert str(find_published("标题: x\n发布时间: 2025-01-14 11:22\n")) == "2025-01-14"
    assert find_published("没有日期") is None
    assert level_of("北关区曙光路街道办事处") is Level.TOWNSHIP
    assert level_of("淮安市洪泽区人民政府") is Level.COUNTY
    assert level_of("上海市人民政府办公厅") is Level.PROVINCE
    due = deadline("淮安市洪泽区人民政府", 2024, (1, 31))
    assert due is not None and str(due[0]) == "2025-03-31"
    due = deadline("淮安市洪泽区教育局", 2024, (1, 31))
    assert due is not None and str(due[0]) == "2025-01-31"


def _no_table(tmp: Path) -> Path:
    """A report whose title and tables are there but whose every cell is unreadable (printed empty)."""
    report = Report.blank("2021")
    report.agency, report.year = "示例区示例街道办事处", 2023
    path = tmp / "unreadable-cells.txt"
    path.write_bytes(text.write(report))
    return path


def test_no_table_value_read_exits_3_not_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(_no_table(tmp_path))) == 3
    assert "未能读出任何表格数值" in capsys.readouterr().err
    assert run(str(_no_table(tmp_path)), str(tmp_path / "missing.txt")) == 2  # unreadable is worse


def test_the_output_names_last_years_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    last = _year(tmp_path, 2022, forward=2)
    this = _year(tmp_path, 2023, over=2)
    assert run(str(this), "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["previous"] == str(last)
    assert run(str(this)) == 0
    assert f"上年度报告：{last}" in capsys.readouterr().out


def test_no_previous_turns_the_comparison_off(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _year(tmp_path, 2022, forward=2)
    this = _year(tmp_path, 2023, over=0)
    assert run(str(this), "--no-previous", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["previous"] is None and not [f for f in data["findings"] if f["rule"] == "R5"]


def test_last_year_found_by_title_and_neighbours_are_not_read_in_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    last = _year(tmp_path, 2022, forward=2).rename(tmp_path / "last.txt")
    this = _year(tmp_path, 2023, over=0).rename(tmp_path / "this.txt")
    other = _year(tmp_path, 2023, over=0).rename(tmp_path / "other-agency.txt")
    other.write_text(other.read_text(encoding="utf-8").replace("示例街道", "别的街道"), encoding="utf-8")
    named = _year(tmp_path, 2022, forward=2).rename(tmp_path / "2022-other-agency.txt")
    named.write_text(named.read_text(encoding="utf-8").replace("示例街道", "别的街道"), encoding="utf-8")
    (tmp_path / "bomb.pdf").write_bytes(b"%PDF-1.7\n" + b" " * 100)  # not named for 2022: never read
    read: list[Path] = []
    real_read_one = check_cli.read_one

    def spy(path: Path) -> object:
        read.append(Path(path))
        return real_read_one(path)

    monkeypatch.setattr(check_cli, "read_one", spy)
    assert run(str(this), "--format", "json") == 1
    assert json.loads(capsys.readouterr().out)["previous"] == str(last)
    assert read == [this, last]


def test_a_file_without_a_readable_head_is_a_candidate_when_named_for_last_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gongkai.writing import write

    last_text = _year(tmp_path, 2022, forward=2)
    last = tmp_path / "报告2022.docx"
    read = check_cli.read_one(last_text)
    assert isinstance(read, tuple)
    last.write_bytes(write(read[0], "docx"))
    last_text.unlink()
    this = _year(tmp_path, 2023, over=2)
    assert run(str(this), "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["previous"] == str(last)
