"""PDF through LibreOffice: a real PDF whose text is the Chinese labels (fonts mapped, no tofu)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from gongkai.report import Report
from gongkai.writing import WriteError, write
from gongkai.writing import pdf as pdf_writer

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def test_pdf_has_chinese_text_in_cjk_fonts(tmp_path: pytest.TempPathFactory) -> None:
    report = Report.blank("2021", zero=True)
    report.agency, report.year = "北关区曙光路街道办事处", 2023
    report.requests["withheld_state_secret"]["natural_person"] = 7
    data = write(report, "pdf")
    assert data.startswith(b"%PDF")
    path = tmp_path / "r.pdf"  # type: ignore[operator]
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    compact = "".join(text.split())
    for label in (
        "北关区曙光路街道办事处2023年政府信息公开工作年度报告",
        "1.属于国家秘密",
        "申请人情况",
        "行政诉讼",
    ):
        assert label in compact
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    assert "CJK" in fonts


def test_missing_soffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_writer.shutil, "which", lambda name: None)
    with pytest.raises(WriteError) as error:
        pdf_writer.soffice()
    assert "LibreOffice" in error.value.zh and "not installed" in error.value.en
