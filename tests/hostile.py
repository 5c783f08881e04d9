"""Hostile and damaged inputs, generated (never committed): each class a report reader has met.

Used by the fuzz test (small sizes, enough to pass every cap) and by `benchmarks/bench_hostile.py`
(the sizes from the issue). Every generator is deterministic.
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from gongkai.limits import MAX_CELLS, MAX_HTML_BYTES, MAX_SHEET_CELLS, MAX_XML_BYTES
from gongkai.report import Report
from gongkai.writing import write

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEED = CORPUS / "seeds" / "000_e754f61d84ee7fec.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def gold_report(name: str = "000_e754f61d84ee7fec") -> Report:
    gold = next(CORPUS.glob(f"*/{name}.gold.json"))
    return Report.from_json(json.loads(gold.read_text(encoding="utf-8")))


def frozen_zip(data: bytes) -> bytes:
    """The archive with fixed entry dates and document times, so damage to it is the same every run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"2024-01-01T00:00:00Z", body)
            archive.writestr(
                zipfile.ZipInfo(info.filename, (2024, 1, 1, 0, 0, 0)), body, zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def truncated(data: bytes, fractions: tuple[float, ...] = (0.25, 0.5, 0.75)) -> Iterator[bytes]:
    """The file cut off part way, as an interrupted download leaves it (often mid-character)."""
    for fraction in fractions:
        yield data[: int(len(data) * fraction)]


def bit_flipped(data: bytes, flips: int, seed: int) -> bytes:
    """`flips` random bits flipped, as a bad disk or transfer leaves a file."""
    rng = random.Random(seed)
    damaged = bytearray(data)
    for _ in range(flips):
        index = rng.randrange(len(damaged))
        damaged[index] ^= 1 << rng.randrange(8)
    return bytes(damaged)


def run_together_digits() -> bytes:
    """Crawler text whose table 四 holds soft digit runs that no split can fit: exponential to enumerate."""
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    values = next(i for i, line in enumerate(lines) if line.startswith("0\t0\t0\t0"))
    lines[values] = "合计 " + " ".join(["123456789"] * 6) + " " + "1" * 45
    return "\n".join(lines).encode("utf-8")


def html_spans(rows: int = 40, cells: int = 20, span: int = 1000) -> bytes:
    """A small HTML table whose colspan/rowspan cells would expand to rows × cells × span² positions."""
    cell = f'<td colspan="{span}" rowspan="{span}">1</td>'
    body = "".join(f"<tr><td>行政许可</td>{cell * cells}</tr>" for _ in range(rows))
    return f"<html><body><p>二、主动公开政府信息情况</p><table>{body}</table></body></html>".encode()


def nested_tables(depth: int = 5000) -> bytes:
    """Tables nested `depth` deep: a recursive walker ends in RecursionError."""
    opening = "<table><tr><td>1</td><td>" * depth
    closing = "</td></tr></table>" * depth
    return f"<html><body>{opening}行政复议{closing}</body></html>".encode()


def docx(document_xml: bytes | Callable[[zipfile.ZipFile], None]) -> bytes:
    """A minimal DOCX around a body (bytes), or whose body a function streams into the archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        if callable(document_xml):
            document_xml(archive)
        else:
            archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def docx_grid_span(rows: int = 300, cells: int = 50, span: int = 1000) -> bytes:
    """A DOCX table whose gridSpan cells would expand to rows × cells × span positions."""
    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>'
    row = f"<w:tr>{cell * cells}</w:tr>"
    body = f'<w:document xmlns:w="{W}"><w:body><w:tbl>{row * rows}</w:tbl></w:body></w:document>'
    return docx(body.encode())


def docx_bomb(unpacked: int = 80 * 1024 * 1024) -> bytes:
    """A DOCX whose document.xml unpacks to `unpacked` bytes from a few hundred KB."""

    def body(archive: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as member:
            member.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
            chunk = b" " * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")

    return docx(body)


def xlsx_bomb(unpacked: int = 80 * 1024 * 1024) -> bytes:
    """A written report's XLSX with its first sheet padded to `unpacked` bytes of whitespace."""
    source = zipfile.ZipFile(io.BytesIO(write(gold_report(), "xlsx")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                with archive.open(info.filename, "w") as member:
                    head, _, tail = data.partition(b"<sheetData>")
                    member.write(head + b"<sheetData>")
                    chunk = b" " * (1024 * 1024)
                    for _ in range(unpacked // len(chunk)):
                        member.write(chunk)
                    member.write(tail)
            else:
                archive.writestr(info, data)
    return buffer.getvalue()


def pdf(content: bytes, filters: str = "") -> bytes:
    """A one-page PDF whose page content is `content` (already encoded for `filters`)."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        font,
        f"<< /Length {len(content)} {filters}>>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_stream_bomb(inflated: int = 512 * 1024 * 1024) -> bytes:
    """A PDF whose page content is a FlateDecode stream inflating to `inflated` bytes of spaces."""
    deflater = zlib.compressobj(9)
    chunk = b" " * (4 * 1024 * 1024)
    parts = [deflater.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET ")]
    parts += [deflater.compress(chunk) for _ in range(inflated // len(chunk))]
    parts.append(deflater.flush())
    return pdf(b"".join(parts), "/Filter /FlateDecode ")


def pdf_text(lines: list[str]) -> bytes:
    """A PDF printing ASCII `lines` (enough to damage: PDFium reads it)."""
    ops = [b"BT /F1 10 Tf 12 TL 40 800 Td"]
    ops += [b"(" + line.encode("ascii").replace(b"(", b"").replace(b")", b"") + b") '" for line in lines]
    ops.append(b"ET")
    return pdf(b"\n".join(ops))


def big_text_report(size: int = 4 * 1024 * 1024) -> bytes:
    """A valid report whose part 一 prose is padded with figure sentences to about `size` bytes."""
    text = SEED.read_text(encoding="utf-8")
    sentence = "本年度共收到政府信息公开申请3件，其中通过网上平台收到2件。"
    repeat = size // len(sentence.encode("utf-8"))
    head, sep, tail = text.partition("一、总体情况")
    return (head + sep + "\n" + sentence * repeat + "\n" + tail).encode("utf-8")


def dense_html(size: int = MAX_HTML_BYTES - 100) -> bytes:
    """HTML of tiny paragraphs just under the markup cap: the most elements and lines per byte."""
    return b"<html><body>" + b"<p>1</p>" * (size // 8 - 4) + b"</body></html>"


def dense_docx(size: int = MAX_XML_BYTES - 100) -> bytes:
    """A DOCX body of tiny paragraphs just under the unpacked-XML cap."""
    paragraph = b"<w:p><w:r><w:t>1</w:t></w:r></w:p>"
    head = f'<w:document xmlns:w="{W}"><w:body>'.encode()
    return docx(head + paragraph * ((size - 100) // len(paragraph)) + b"</w:body></w:document>")


def dense_xlsx(cells: int = MAX_SHEET_CELLS // 2) -> bytes:
    """A written report's XLSX whose first sheet holds `cells` one-digit cells (eight a row)."""
    source = zipfile.ZipFile(io.BytesIO(write(gold_report(), "xlsx")))
    row = b"".join(f'<c r="{col}1"><v>1</v></c>'.encode() for col in ("A", "B", "C", "D", "E", "F", "G", "H"))
    rows = cells // 8
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = data.partition(b"<sheetData>")
                _, _, tail = rest.partition(b"</sheetData>")
                body = b"".join(
                    b'<row r="%d">' % r + row.replace(b'1"', b'%d"' % r) + b"</row>"
                    for r in range(1, rows + 1)
                )
                archive.writestr(info.filename, head + b"<sheetData>" + body + b"</sheetData>" + tail)
            else:
                archive.writestr(info, data)
    return buffer.getvalue()


def dense_text(lines: int = MAX_CELLS - 10) -> bytes:
    """Text of one-character lines just under the cell cap."""
    return b"1\n" * lines
