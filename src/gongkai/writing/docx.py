"""Word (DOCX) in 公文 style (GB/T 9704): A4, 公文 margins, 小标宋 title, 黑体 headings, 仿宋 body.

python-docx builds the package once (page setup, styles, relationships); each report
then only adds its own `word/document.xml`, written as WordprocessingML text from the
shared layout, because building three merged tables through python-docx's object model
costs far more than the 50 ms a report may take when a whole province is rendered.
The tables carry real merges (`w:gridSpan`, `w:vMerge`), borders and repeating header
rows. Fonts are named as in 公文 (方正小标宋简体, 黑体, 仿宋_GB2312); where they are not
installed, Word and LibreOffice substitute (the PDF writer maps them to Noto CJK).
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape

from ..report import Report
from .layout import Span, TableLayout, cell_text, table_layout
from .narrative import Part, parts, title

SUFFIX = ".docx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
TWIPS_PER_MM = 1440 / 25.4
TEXT_WIDTH = round((210 - 28 - 26) * TWIPS_PER_MM)  # A4 minus left and right margins
VALUE_WIDTH = 620  # twips, a value column of a wide table (about 11 mm, room for 5 digits)
FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # identical reports give identical bytes
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return escape(CONTROL.sub("", text))


def _rpr(font: str, half_points: int) -> str:
    return (
        f'<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{font}" w:cs="{font}"/>'
        f'<w:b w:val="0"/><w:color w:val="000000"/><w:sz w:val="{half_points}"/>'
        f'<w:szCs w:val="{half_points}"/></w:rPr>'
    )


TITLE_RPR = _rpr(TITLE_FONT, 44)  # 二号
HEADING_RPR = _rpr(HEADING_FONT, 32)  # 三号
BODY_RPR = _rpr(BODY_FONT, 32)  # 三号
NOTE_RPR = _rpr(BODY_FONT, 24)  # 小四
LINE = '<w:spacing w:before="0" w:after="0" w:line="560" w:lineRule="exact"/>'  # 28 pt, 公文 line pitch


def _paragraph(text: str, rpr: str, ppr: str) -> str:
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r>{rpr}<w:t xml:space="preserve">{_x(text)}</w:t></w:r></w:p>'


def _title(text: str) -> str:
    ppr = '<w:pStyle w:val="Title"/><w:spacing w:before="0" w:after="560" w:line="700" w:lineRule="exact"/>'
    return _paragraph(text, TITLE_RPR, ppr + '<w:jc w:val="center"/>')


def _heading(text: str) -> str:
    ppr = f'<w:pStyle w:val="Heading1"/><w:keepNext/>{LINE}<w:ind w:firstLineChars="200" w:firstLine="640"/>'
    return _paragraph(text, HEADING_RPR, ppr)


def _body(text: str) -> str:
    return _paragraph(
        text, BODY_RPR, f'{LINE}<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>'
    )


def _unit_note(text: str) -> str:
    return _paragraph(text, NOTE_RPR, '<w:keepNext/><w:jc w:val="right"/>')


def _widths(layout: TableLayout) -> list[int]:
    """Value columns narrow in wide tables; label columns share the rest, innermost widest."""
    n_values = layout.n_cols - layout.label_cols
    if layout.label_cols == 0 or n_values <= 4:
        return [TEXT_WIDTH // layout.n_cols] * layout.n_cols
    rest = TEXT_WIDTH - VALUE_WIDTH * n_values
    weights = [2 + d * d for d in range(layout.label_cols)]
    labels = [rest * w // sum(weights) for w in weights]
    return labels + [VALUE_WIDTH] * n_values


CELL_SPACING = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _cell(span: Span, text: str, width: int, continued: bool, half_points: int) -> str:
    merge = ""
    if span.rowspan > 1:
        merge = "<w:vMerge/>" if continued else '<w:vMerge w:val="restart"/>'
    grid = f'<w:gridSpan w:val="{span.colspan}"/>' if span.colspan > 1 else ""
    tcpr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid}{merge}<w:vAlign w:val="center"/></w:tcPr>'
    if continued:
        return f"<w:tc>{tcpr}<w:p/></w:tc>"
    left = span.scope == "row" and span.rowspan == 1 and span.ref is None
    jc = "left" if left else "center"
    font = HEADING_FONT if span.scope == "col" else BODY_FONT
    ppr = f'<w:pPr>{CELL_SPACING}<w:jc w:val="{jc}"/></w:pPr>'
    run = f'<w:r>{_rpr(font, half_points)}<w:t xml:space="preserve">{_x(text)}</w:t></w:r>' if text else ""
    return f"<w:tc>{tcpr}<w:p>{ppr}{run}</w:p></w:tc>"


def table_xml(layout: TableLayout, report: Report) -> str:
    """One table as WordprocessingML: every grid position is covered by exactly one merged cell."""
    widths = _widths(layout)
    half_points = 18 if layout.n_cols > 6 else 21  # 小五 for wide tables, 五号 otherwise
    grid = layout.grid()
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for r, row in enumerate(grid):
        header = "<w:tblHeader/>" if r < layout.header_rows else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        c = 0
        while c < layout.n_cols:
            span = row[c]
            width = sum(widths[c : c + span.colspan])
            continued = span.row != r
            out.append(
                _cell(span, "" if continued else cell_text(span, report), width, continued, half_points)
            )
            c += span.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _part(part: Part, report: Report) -> list[str]:
    out = [_heading(part.heading)]
    out.extend(_body(p) for p in part.paragraphs)
    if part.table:
        if part.unit_note:
            out.append(_unit_note(part.unit_note))
        out.append(table_xml(table_layout(report.table(part.table)), report))
    return out


@lru_cache(maxsize=1)
def _package() -> tuple[bytes, str, str]:
    """The package without document and core properties, the document's opening tags, its sectPr."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    # 公文 titles and headings are black with no rule under them: the default template's Title has
    # a theme colour and a bottom border, and its headings theme colours.
    for name in ("Title", "Heading 1"):
        style = document.styles[name]
        for border in style.element.findall(f".//{qn('w:pBdr')}"):
            border.getparent().remove(border)
        style.font.color.rgb = RGBColor(0, 0, 0)
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(buffer)
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in ("word/document.xml", "docProps/core.xml"):
                target.writestr(
                    zipfile.ZipInfo(info.filename, FIXED_DATE),
                    source.read(info.filename),
                    zipfile.ZIP_DEFLATED,
                )
    xml = source.read("word/document.xml").decode("utf-8")
    head = xml[: xml.index("<w:body>") + len("<w:body>")]
    sect = xml[xml.index("<w:sectPr") : xml.index("</w:body>")]
    return package.getvalue(), head, sect


CORE = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title>'
    "<dc:creator>{creator}</dc:creator></cp:coreProperties>"
)


def write(report: Report) -> bytes:
    heading = title(report)
    body = [_title(heading)]
    for part in parts(report):
        body.extend(_part(part, report))
    return assemble(body, heading, report.agency or "")


def assemble(body: list[str], heading: str, creator: str) -> bytes:
    """A DOCX from body paragraphs and tables (WordprocessingML), on the shared 公文 package.

    Only document.xml and the core properties differ between documents, so the package is built
    once and each document appends those two parts (with a fixed date: equal input, equal bytes).
    """
    package, head, sect = _package()
    document = f"{head}{''.join(body)}{sect}</w:body></w:document>"
    buffer = io.BytesIO(package)
    buffer.seek(0, io.SEEK_END)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            zipfile.ZipInfo("word/document.xml", FIXED_DATE), document.encode("utf-8"), zipfile.ZIP_DEFLATED
        )
        core = CORE.format(title=_x(heading), creator=_x(creator))
        z.writestr(
            zipfile.ZipInfo("docProps/core.xml", FIXED_DATE), core.encode("utf-8"), zipfile.ZIP_DEFLATED
        )
    return buffer.getvalue()
