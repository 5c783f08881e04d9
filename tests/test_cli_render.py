"""`gongkai render` as a user runs it: from JSON or from any report file, to every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gongkai
from gongkai.cli import main

from .conftest import CORPUS

SEED = CORPUS / "seeds" / "001_22ae0ba57f04688c.txt"
GOLD = SEED.with_name(SEED.stem + ".gold.json")


@pytest.mark.parametrize("to", ["docx", "xlsx", "html", "md", "txt", "json"])
def test_rendering_an_extracted_report_reproduces_its_tables(to: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{to}"
    assert main(["render", str(SEED), "--to", to, "-o", str(out)]) == 0
    again = gongkai.read(out).canonical() if to != "json" else json.loads(out.read_text(encoding="utf-8"))
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert {k: again[k] for k in gold} == gold


def test_render_from_canonical_json_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["render", str(GOLD), "--to", "txt", "-o", "-"]) == 0
    text = capsysbinary.readouterr().out.decode("utf-8")
    assert "老城区洛浦街道办事处2021年政府信息公开工作年度报告" in text
    assert "（七）总计" in text


def test_unknown_format_and_unreadable_source_fail_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", str(GOLD), "--to", "odt"]) == 1
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["render", str(bad), "--to", "txt"]) == 1
    err = capsys.readouterr().err
    assert "不支持的输出格式" in err and "不是有效的报告 JSON" in err
    assert "Traceback" not in err
