"""Legacy reader: .doc and .odt made by LibreOffice itself, read back through the DOCX reader.

Where LibreOffice is not installed, the same tests check the plain refusal naming it instead, so
they never pass by skipping.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from gongkai.reading import Cell, Loc, ReadError, legacy, sniff
from gongkai.reading.legacy import read_legacy
from gongkai.reading.sniff import OLE2

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
WORD_OLE2 = OLE2 + "WordDocument".encode("utf-16-le") + bytes(512)


def texts(lines: list[list[Cell]]) -> list[list[str]]:
    return [[cell.text for cell in line] for line in lines]


def report_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("2023年某某镇政府信息公开工作年度报告")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "（本列数据的勾稽关系）"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "申请人情况"
    for row, col, text in [
        (1, 1, "自然人"),
        (1, 2, "总计"),
        (2, 0, "一、本年新收"),
        (2, 1, "7"),
        (2, 2, "7"),
    ]:
        table.cell(row, col).text = text
    document.add_paragraph("四、结转下年度继续办理")  # Word needs a paragraph after a table
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The report as .doc and .odt, converted by LibreOffice in a profile of the test's own."""
    if SOFFICE is None:
        return {}
    folder = tmp_path_factory.mktemp("legacy")
    source = folder / "report.docx"
    source.write_bytes(report_docx())
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
    for target in ("doc", "odt"):
        command = [
            SOFFICE,
            profile,
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(folder),
            str(source),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=180)
    return {target: (folder / f"report.{target}").read_bytes() for target in ("doc", "odt")}


def refuses_for_lack_of_libreoffice(data: bytes) -> None:
    with pytest.raises(ReadError) as error:
        read_legacy(data, "x")
    assert "LibreOffice" in error.value.zh
    assert "soffice" in error.value.en


@pytest.mark.parametrize(("target", "kind"), [("doc", "legacy"), ("odt", "odf")])
def test_converted_document_keeps_paragraphs_and_merged_grid(
    converted: dict[str, bytes], target: str, kind: str
) -> None:
    if SOFFICE is None:
        refuses_for_lack_of_libreoffice(WORD_OLE2)
        return
    data = converted[target]
    assert sniff(data) == kind
    lines = read_legacy(data, f"report.{target}").lines
    assert texts(lines) == [
        ["2023年某某镇政府信息公开工作年度报告"],
        ["（本列数据的勾稽关系）", "申请人情况", ""],
        ["", "自然人", "总计"],
        ["一、本年新收", "7", "7"],
        ["四、结转下年度继续办理"],
    ]
    assert lines[3][2].loc == Loc(table=1, row=3, col=3)
    assert lines[2][0].loc == Loc(table=1, row=2, col=1)


def test_missing_libreoffice_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    refuses_for_lack_of_libreoffice(WORD_OLE2)


def test_password_protected_office_file_is_refused_before_conversion() -> None:
    with pytest.raises(ReadError, match="password"):
        read_legacy(OLE2 + "EncryptedPackage".encode("utf-16-le"), "x.docx")


def test_input_kind_comes_from_the_content() -> None:
    def odf(mimetype: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("mimetype", mimetype)
        return buffer.getvalue()

    assert legacy._kind(WORD_OLE2) == (".doc", "docx", ("MS Word 97", "MS Word 95"))
    assert legacy._kind(OLE2 + "Workbook".encode("utf-16-le"))[:2] == (".xls", "xlsx")
    assert legacy._kind(OLE2 + bytes(100)) == (".doc", "docx", (None,))
    assert legacy._kind(b"{\\rtf1\\ansi hello}") == (".rtf", "docx", ("Rich Text Format",))
    assert legacy._kind(odf("application/vnd.oasis.opendocument.spreadsheet")) == (".ods", "xlsx", ("calc8",))
    assert legacy._kind(odf("application/vnd.oasis.opendocument.text")) == (".odt", "docx", ("writer8",))
    with pytest.raises(ReadError, match="ODF"):
        legacy._kind(b"PK\x03\x04 broken")


def test_unconvertible_content_is_a_read_error() -> None:
    with pytest.raises(ReadError) as error:
        read_legacy(WORD_OLE2, "broken.doc")
    assert ("无法转换" if SOFFICE else "LibreOffice") in error.value.zh


def test_hung_conversion_is_killed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if SOFFICE is None:
        refuses_for_lack_of_libreoffice(b"{\\rtf1 x}")
        return
    monkeypatch.setattr(legacy, "TIMEOUT", 0.05)
    with pytest.raises(ReadError) as error:
        read_legacy(b"{\\rtf1\\ansi slow}", "slow.rtf")
    assert "超时" in error.value.zh
    assert "timed out" in error.value.en
