"""A self-contained, printable, accessible HTML page.

No external resources (styles inline, no scripts, no web fonts) so the file opens the
same offline and in a mail client; header cells are `<th scope>` and merges are real
`rowspan`/`colspan` so screen readers and gongkai's HTML reader see the official grid.
"""

from __future__ import annotations

from html import escape

from ..report import Report
from .layout import TableLayout, cell_text, table_layout
from .narrative import parts, title

SUFFIX = ".html"

STYLE = """
body{font-family:"FangSong","仿宋_GB2312","仿宋","STFangsong","Noto Serif CJK SC","Songti SC",serif;
 font-size:16pt;line-height:1.75;color:#000;background:#fff;max-width:170mm;margin:2em auto;padding:0 1em}
h1{font-family:"方正小标宋简体","Noto Serif CJK SC","Songti SC",serif;font-size:22pt;font-weight:normal;
 text-align:center;line-height:1.4}
h2{font-family:"SimHei","黑体","Noto Sans CJK SC","Heiti SC",sans-serif;font-size:16pt;font-weight:normal;
 margin:1em 0 .3em}
p{text-indent:2em;margin:0;text-align:justify}
p.draft{color:#7a4a00}
p.unit{text-align:right;text-indent:0;font-size:12pt}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:10.5pt;line-height:1.35}
caption{font-size:12pt;padding:.3em 0}
th,td{border:1px solid #000;padding:2px 4px;text-align:center;vertical-align:middle}
th{font-weight:normal;font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif}
th[scope=row]{font-family:inherit;text-align:left}
th[scope=row][rowspan]{text-align:center}
@media print{
 @page{size:A4;margin:37mm 26mm 35mm 28mm}
 body{max-width:none;margin:0;padding:0}
 p.draft{color:#000}
 thead{display:table-header-group}
 tr{page-break-inside:avoid;break-inside:avoid}
 h2{page-break-after:avoid;break-after:avoid}
}
"""


def _attrs(rowspan: int, colspan: int) -> str:
    return (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")


def table_html(layout: TableLayout, report: Report, caption: str) -> str:
    out = [f'<table id="table-{layout.table.key}"><caption>{escape(caption)}</caption>']
    if layout.header_rows:
        out.append("<thead>")
    for r, row in enumerate(layout.rows):
        if r == layout.header_rows and layout.header_rows:
            out.append("</thead>")
        if r == layout.header_rows:
            out.append("<tbody>")
        out.append("<tr>")
        for span in row:
            text = escape(cell_text(span, report))
            attrs = _attrs(span.rowspan, span.colspan)
            if span.header:
                out.append(f'<th scope="{span.scope}"{attrs}>{text}</th>')
            else:
                out.append(f'<td{attrs} data-cell="{span.ref}">{text}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def write(report: Report) -> bytes:
    heading = title(report)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(heading)}</title><style>{STYLE}</style></head>",
        f"<body><main><h1>{escape(heading)}</h1>",
    ]
    for part in parts(report):
        out.append(f'<section id="part-{part.number}"><h2>{escape(part.heading)}</h2>')
        css = ' class="draft"' if part.draft else ""
        out.extend(f"<p{css}>{escape(p)}</p>" for p in part.paragraphs)
        if part.table:
            table = report.table(part.table)
            if part.unit_note:
                out.append(f'<p class="unit">{escape(part.unit_note)}</p>')
            caption = f"表{table.number}　{table.title.split('、', 1)[-1]}"
            out.append(table_html(table_layout(table), report, caption))
        out.append("</section>")
    out.append("</main></body></html>\n")
    return "\n".join(out).encode("utf-8")
