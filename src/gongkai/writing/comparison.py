"""A comparison with last year (`gongkai.compare`) as a Word document or a PDF.

One document per agency: the continuity findings (上年结转, 现行有效件数), every cell that
changed with both years' values, and parts 一 and 五 side by side with the passages found in
the other year highlighted and R15's similarity figure. The PDF is the DOCX through the same
LibreOffice conversion as the report PDF, so both print alike.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt

from ..compare import Comparison, Run
from ..formats import CellRef
from ..report import Report

SUFFIX = ".docx"
FONT = "仿宋_GB2312"


def _name(report: Report) -> str:
    return f"{report.agency or '（未识别机关）'}{report.year or ''}年度"


def _cell_name(report: Report, ref: CellRef) -> str:
    try:
        return report.table(ref.table).cell_zh(ref)
    except KeyError:  # a cell only the other year's format has
        return str(ref)


def write(comparison: Comparison) -> bytes:
    now, before = comparison.current, comparison.previous
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT
    )
    document.add_heading(f"{_name(now)}与{before.year or ''}年度报告对比", level=1)

    document.add_heading("一、前后衔接", level=2)
    if comparison.continuity:
        for finding in comparison.continuity:
            document.add_paragraph(f"{finding.rule}：{finding.message_zh}", style="List Bullet")
    else:
        document.add_paragraph("上年结转与上年“结转下年度继续办理”一致；现行有效件数前后衔接。")

    changed = comparison.changed()
    document.add_heading(f"二、数据变化（{len(changed)} 项有变化，共 {len(comparison.cells)} 项）", level=2)
    if changed:
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("单元格", f"{before.year}年度", f"{now.year}年度", "变化"), strict=True
        ):
            cell.text = text
        for change in changed:
            row = table.add_row().cells
            delta = change.change
            values = (
                _cell_name(now, change.ref),
                "" if change.before is None else str(change.before),
                "" if change.now is None else str(change.now),
                "" if delta is None else f"{delta:+}",
            )
            for cell, text in zip(row, values, strict=True):
                cell.text = text

    document.add_heading("三、第一、五部分对照（与上年相同的表述以黄色标出）", level=2)
    for part in comparison.parts:
        document.add_paragraph(
            f"第{part.number}部分：相似度 {part.similarity:.0%}（R15 口径），"
            f"本年有 {part.copied_share:.0%} 的文字见于上年"
        )
        table = document.add_table(rows=2, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = f"{now.year}年度"
        table.rows[0].cells[1].text = f"{before.year}年度"
        _runs(table.rows[1].cells[0].paragraphs[0], part.now)
        _runs(table.rows[1].cells[1].paragraphs[0], part.before)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _runs(paragraph: Any, runs: tuple[Run, ...]) -> None:
    if not runs:
        paragraph.add_run("（无此部分）")
    for run in runs:
        added = paragraph.add_run(run.text)
        if run.copied:
            added.font.highlight_color = WD_COLOR_INDEX.YELLOW


def pdf(comparison: Comparison) -> bytes:
    """The comparison as PDF, through LibreOffice (see `writing.pdf`)."""
    from .pdf import convert

    return convert(write(comparison))
