"""Masking personal data inside DOCX and XLSX attachments; PDF and pictures refused with the reason."""

from __future__ import annotations

from io import BytesIO

import pikepdf
import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from gongkai.redaction import RedactionError, redact_file
from gongkai.scrub import attachment_text

ID_NUMBER = "11010519491231002X"
MASKED = "110105********002X"


def docx_with_split_runs() -> bytes:
    document = Document()
    paragraph = document.add_paragraph("救助对象王小明，身份证号")
    for piece in ("110105", "19491231", "002X"):  # Word splits a number over runs at will
        paragraph.add_run(piece).bold = True
    paragraph.add_run("，金额2000元。")
    document.sections[0].header.add_paragraph(f"经办人身份证{ID_NUMBER}")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def text_pdf(text: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(400, 200))
    page = pdf.pages[0]
    name = pikepdf.Name
    font = pikepdf.Dictionary(Type=name.Font, Subtype=name.Type1, BaseFont=name.Helvetica)
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
    page.obj.Contents = pdf.make_stream(f"BT /F1 14 Tf 20 100 Td ({text}) Tj ET".encode("ascii"))
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_a_docx_hit_split_over_runs_and_in_the_header_is_masked_everywhere() -> None:
    redacted = redact_file(docx_with_split_runs(), [(ID_NUMBER, MASKED)])
    text = attachment_text(redacted)
    assert ID_NUMBER not in text and text.count(MASKED) == 2
    document = Document(BytesIO(redacted))
    assert document.paragraphs[0].text == f"救助对象王小明，身份证号{MASKED}，金额2000元。"
    assert document.paragraphs[0].runs[-1].text == "，金额2000元。"  # the rest of the text untouched


def test_an_xlsx_string_cell_is_masked_and_a_number_cell_is_refused() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["B1"], sheet["C1"] = "身份证号", ID_NUMBER, 13812345678
    out = BytesIO()
    book.save(out)
    redacted = load_workbook(BytesIO(redact_file(out.getvalue(), [(ID_NUMBER, MASKED)]))).active
    assert redacted is not None and redacted["B1"].value == MASKED and redacted["A1"].value == "身份证号"
    with pytest.raises(RedactionError) as missing:
        redact_file(out.getvalue(), [("13812345678", "138****5678")])  # a number, not text
    assert "找不到" in missing.value.zh


def test_a_pdf_or_a_picture_is_refused_with_what_to_do() -> None:
    with pytest.raises(RedactionError) as refused:
        redact_file(text_pdf(f"ID {ID_NUMBER}"), [(ID_NUMBER, MASKED)])
    assert "PDF" in refused.value.zh and "重新上传" in refused.value.zh
    with pytest.raises(RedactionError):
        redact_file(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, [(ID_NUMBER, MASKED)])


def test_a_damaged_package_is_an_error_not_a_crash() -> None:
    data = docx_with_split_runs()
    with pytest.raises(RedactionError):
        redact_file(data[: len(data) // 2], [(ID_NUMBER, MASKED)])
