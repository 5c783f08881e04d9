"""PDF reader: a real report, PDFs generated from DOCX by LibreOffice, and unreadable files."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest

from gongkai.reading import ReadError
from gongkai.reading.pdf import read_pdf

REAL = Path(__file__).parents[1].parent / "shared/corpus/real/hzq2024_working.pdf"


@pytest.fixture(scope="module")
def real_lines() -> list[list[str]]:
    return [[cell.text for cell in line] for line in read_pdf(REAL.read_bytes(), str(REAL)).lines]


def soffice_pdf(
    tmp: Path, documents: dict[str, docx.document.Document], export: str = "pdf"
) -> dict[str, bytes]:
    """Convert DOCX files to PDF with LibreOffice; the generated PDFs are the fixtures."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is needed to generate the test PDFs")
    for name, document in documents.items():
        document.save(tmp / f"{name}.docx")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",  # own profile: runs concurrently
            "--headless",
            "--convert-to",
            export,
            "--outdir",
            str(tmp / "out"),
            *(str(tmp / f"{name}.docx") for name in documents),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {name: (tmp / "out" / f"{name}.pdf").read_bytes() for name in documents}


def report_docx() -> docx.document.Document:
    """Page 1: bare header number, a table, a bare value last; page 2: a decorated footer."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "2"
    document.add_paragraph("𠮷野家 2024 年度报告")
    table = document.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    values = [["信息内容", "本年收费金额", "备注"], ["行政事业性收费", "7545", "无"]]
    for row, texts in zip(table.rows, values, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.add_paragraph("95")
    second = document.add_section()
    second.footer.is_linked_to_previous = False
    second.footer.paragraphs[0].text = "第 2 页 共 2 页"
    document.add_paragraph("六、其他需要报告的事项")
    return document


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    footer_only = docx.Document()
    footer_only.sections[0].footer.paragraphs[0].text = "- 1 -"
    return soffice_pdf(tmp_path_factory.mktemp("pdf"), {"report": report_docx(), "footer_only": footer_only})


def test_real_report_table_rows(real_lines: list[list[str]]) -> None:
    assert real_lines[0] == ["淮安市洪泽区人民政府"]
    assert ["一、本年新收政府信息公开申请数量", "95", "0", "0", "0", "0", "0", "95"] in real_lines
    assert ["（七）总计", "95", "0", "0", "0", "0", "0", "95"] in real_lines
    assert ["行政许可", "9487"] in real_lines
    assert real_lines[-1] == ["法》，全年收取政府信息公开信息处理费", "0", "元。"]


def test_real_report_drops_page_numbers(real_lines: list[list[str]]) -> None:
    page_number = re.compile(r"-?\s*\d\s*-?")
    assert not [line for line in real_lines if page_number.fullmatch(" ".join(line))]


def test_real_report_locations() -> None:
    lines = read_pdf(REAL.read_bytes(), "hzq.pdf").lines
    assert {line[0].loc.page for line in lines} == {1, 2, 3, 4, 5}
    (row,) = [line for line in lines if [cell.text for cell in line] == ["行政事业性收费", "7545"]]
    label, value = row
    assert value.loc.page == 3
    assert value.loc.bbox is not None and label.loc.bbox is not None
    x0, y0, x1, y1 = value.loc.bbox
    assert 300 < x0 < x1 < 450 and 400 < y0 < y1 < 600  # right of the label, mid-page on A4
    assert 15 < x1 - x0 < 40 and 5 < y1 - y0 < 25  # four digits wide, one line high
    assert label.loc.bbox[2] < x0 and abs(label.loc.bbox[1] - y0) < 3  # same row, to the left


def test_generated_report(generated: dict[str, bytes]) -> None:
    doc = read_pdf(generated["report"], "report.pdf")
    assert doc.kind == "pdf"
    lines = [[cell.text for cell in line] for line in doc.lines]
    assert lines == [
        ["𠮷野家", "2024", "年度报告"],
        ["信息内容", "本年收费金额", "备注"],
        ["行政事业性收费", "7545", "无"],
        ["95"],  # a bare number close under the table is a value, not a page number
        ["六、其他需要报告的事项"],
    ]
    assert [line[0].loc.page for line in doc.lines] == [1, 1, 1, 1, 2]
    header, _, row, *_ = doc.lines
    assert all(cell.loc.bbox for cell in header + row)
    width = {cell.text: cell.loc.bbox[2] - cell.loc.bbox[0] for cell in header + row if cell.loc.bbox}
    # One em per CJK character, also after the astral 𠮷 (two UTF-16 units in PDFium, one in Python).
    assert width["𠮷野家"] / 3 == pytest.approx(width["年度报告"] / 4, rel=0.05)
    assert width["行政事业性收费"] / 7 == pytest.approx(width["年度报告"] / 4, rel=0.05)
    label, value, _ = (cell.loc.bbox for cell in row)
    assert label and value and label[2] < value[0] < 300 and abs(label[1] - value[1]) < 3


def test_only_page_numbers_needs_ocr(generated: dict[str, bytes]) -> None:
    with pytest.raises(ReadError, match="OCR") as error:
        read_pdf(generated["footer_only"], "scan.pdf")
    assert "OCR" in error.value.zh


def test_page_without_text_needs_ocr() -> None:
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    with pytest.raises(ReadError, match="no text layer") as error:
        read_pdf(buffer.getvalue(), "scan.pdf")
    assert "文字识别（OCR）" in error.value.zh


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.7\n\x00\x01 not really a pdf \xff" * 20,
        REAL.read_bytes()[: REAL.stat().st_size * 3 // 10],
    ],
    ids=["empty", "garbage", "truncated"],
)
def test_unreadable_pdf(data: bytes) -> None:
    with pytest.raises(ReadError, match="corrupt") as error:
        read_pdf(data, "bad.pdf")
    assert "损坏" in error.value.zh


def test_encrypted_pdf(tmp_path: Path) -> None:
    options = '{"EncryptFile":{"type":"boolean","value":"true"},'
    options += '"DocumentOpenPassword":{"type":"string","value":"x"}}'
    data = soffice_pdf(tmp_path, {"locked": report_docx()}, f"pdf:writer_pdf_Export:{options}")["locked"]
    with pytest.raises(ReadError, match="password") as error:
        read_pdf(data, "locked.pdf")
    assert "密码" in error.value.zh
