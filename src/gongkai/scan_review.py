"""Flags on a report read from a scan: every cell OCR was unsure of, every identity it breaks.

A scan's cells are read, not copied, so a wrong digit is possible and must never pass as the
agency's figure. Each table cell whose provenance carries an OCR confidence below
`LOW_CONFIDENCE`, or whose digit was read from a look-alike glyph ("O" as 0), gets a note; so
does each of the table's identities that does not hold while one of its cells came from OCR.
The value itself is kept as read: a person decides with the scan in hand. An agency name that
holds a character OCR confuses in names (沭/沐: 沭阳县 and 沐川县 are both real) is flagged too.
"""

from __future__ import annotations

from .report import Note, Report

LOW_CONFIDENCE = 0.9
# Characters OCR confuses in proper names, which no list of labels can settle (the reader makes a
# name agree with itself across the document where it was read both ways: `reading.ocr.harmonise`).
NAME_LOOKALIKES = ("沭沐",)


def review(report: Report) -> Report:
    """Append the OCR notes to `report` (in place) and return it."""
    read = {key: where for key, where in report.provenance.items() if "ocr" in where}
    if not read:
        return report
    _check_name(report)
    for table in report.tables():
        for ref in table.cells():
            where = read.get(str(ref))
            if where is None:
                continue
            seen = where.get("ocr_read")
            if where["ocr"] >= LOW_CONFIDENCE and seen is None:
                continue
            page, value = where.get("page", "?"), report.get(ref)
            zh = f"第 {page} 页{table.cell_zh(ref)}由文字识别读出（置信度 {where['ocr']:.2f}）"
            en = f"page {page}: {table.cell_en(ref)} was read by OCR (confidence {where['ocr']:.2f})"
            if seen is not None:
                zh += f"，原样识别为“{seen}”，按 {value} 读取"
                en += f"; OCR saw {seen!r}, read as {value}"
            report.notes.append(
                Note("ocr-uncertain", zh + "，请对照原件核实", en + "; check the scan", str(ref), where)
            )
        for identity in table.identities:
            if not any(str(ref) in read for ref in identity.cells):
                continue
            values = [report.get(ref) for ref in identity.cells]
            if not all(isinstance(v, int) for v in values):
                continue
            left = sum(int(report.get(ref) or 0) for ref in identity.left)
            right = sum(int(report.get(ref) or 0) for ref in identity.right)
            if left != right:
                names = "、".join(table.cell_zh(ref) for ref in identity.cells)
                cells = ", ".join(str(ref) for ref in identity.cells)
                report.notes.append(
                    Note(
                        "ocr-identity",
                        f"表{table.number}扫描件识别结果不满足勾稽关系（{left} ≠ {right}），"
                        f"可能是识别错误而非原表错误，请对照原件核实：{names}",
                        f"table {table.number} as read by OCR breaks an identity ({left} != {right}); "
                        f"a cell may be misread rather than misprinted, check against the scan: {cells}",
                        str(identity.right[0]),
                    )
                )
    return report


def _check_name(report: Report) -> None:
    """A note on an agency name read by OCR that holds a name look-alike character."""
    agency = report.agency or ""
    for group in NAME_LOOKALIKES:
        seen = [char for char in group if char in agency]
        if seen:
            others = "、".join(f"“{char}”" for char in group if char != seen[0])
            report.notes.append(
                Note(
                    "ocr-name",
                    f"机关名称“{agency}”由文字识别读出，其中“{seen[0]}”与{others}易混淆，请对照原件核实",
                    f"the agency name {agency!r} was read by OCR and holds {seen[0]!r}, which OCR confuses "
                    f"within {group!r}; check the scan",
                    "agency",
                )
            )
