"""Reading speed and memory per input type, each beside its floor.

Floors: decoding the same bytes (text, HTML), unzipping and parsing the same XML (DOCX),
loading the same workbook (XLSX), and dumping the same PDF's text with pypdfium2 — the
work no reader of that type can skip. For PDF, pdfplumber's generic table extraction on
the same files is shown too. HTML, DOCX and XLSX inputs are the corpus reports written
by gongkai's own writers; text and PDF inputs are the published files.

Run: .venv/bin/python benchmarks/bench_read.py  (updates docs/benchmarks.md)
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from lxml import etree

from _common import CORPUS, machine, median_ms, peak_rss_mb, per_second, update_section
from gongkai.batch import extract_many
from gongkai.extraction import extract
from gongkai.reading import load_bytes
from gongkai.report import Report
from gongkai.writing import write


def corpus_reports() -> list[Report]:
    return [
        Report.from_json(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(CORPUS.glob("*/*.gold.json"))
    ]


def inputs() -> dict[str, list[bytes]]:
    reports = corpus_reports()
    return {
        "text": [p.read_bytes() for p in sorted(CORPUS.glob("*/*.txt"))],
        "html": [write(r, "html") for r in reports],
        "docx": [write(r, "docx") for r in reports],
        "xlsx": [write(r, "xlsx") for r in reports],
        "pdf": [p.read_bytes() for p in sorted(CORPUS.glob("*/*.pdf"))],
    }


def floor(kind: str, data: bytes) -> object:
    if kind in ("text", "html"):
        return data.decode("utf-8", errors="replace")
    if kind == "docx":
        return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    if kind == "xlsx":
        from openpyxl import load_workbook

        return load_workbook(io.BytesIO(data), data_only=True)
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    texts = []
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
        textpage.close()
        page.close()
    document.close()
    return texts


def pdfplumber_tables(data: bytes) -> object:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_tables() for page in pdf.pages]


def read_all(files: list[bytes]) -> None:
    for data in files:
        extract(load_bytes(data))


def flat_memory(tmp: Path, count: int) -> float:
    """Peak RSS of one process reading `count` text reports through the batch path."""
    sources = sorted(CORPUS.glob("*/*.txt"))
    paths = [sources[i % len(sources)] for i in range(count)]
    return peak_rss_mb(lambda: sum(1 for _ in extract_many(paths)))


def main() -> None:
    rows = []
    for kind, files in inputs().items():
        rate = per_second(lambda files=files: read_all(files), len(files))
        floor_rate = per_second(lambda files=files, kind=kind: [floor(kind, d) for d in files], len(files))
        peak = peak_rss_mb(lambda files=files: read_all(files * 20))
        rows.append((kind, len(files), rate, floor_rate, floor_rate / rate, peak))
    lines = [
        f"Machine: {machine()}, one process, one core. Reports/s is the best of three rounds.",
        "",
        "| input | files | gongkai reports/s | floor reports/s | time ÷ floor time | peak RSS (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for kind, count, rate, floor_rate, ratio, peak in rows:
        lines.append(f"| {kind} | {count} | {rate:,.0f} | {floor_rate:,.0f} | {ratio:,.1f} | {peak:.0f} |")
    pdf = inputs()["pdf"][0]
    read_ms = median_ms(lambda: extract(load_bytes(pdf)))
    dump_ms = median_ms(lambda: floor("pdf", pdf))
    plumber_ms = median_ms(lambda: pdfplumber_tables(pdf), runs=5)
    lines += [
        "",
        "PDF, `hzq2024_working.pdf` (5 pages), median of 30 runs:",
        "",
        "| step | ms |",
        "|---|---|",
        f"| pypdfium2 text dump (floor) | {dump_ms:.1f} |",
        f"| gongkai read + extract, with provenance | {read_ms:.1f} ({read_ms / dump_ms:.2f}× dump) |",
        f"| pdfplumber `extract_tables()` on every page | {plumber_ms:.1f} |",
    ]
    small, large = flat_memory(Path("."), 200), flat_memory(Path("."), 4000)
    lines += [
        "",
        f"Flat memory: peak RSS reading 200 text reports {small:.0f} MB, 4,000 reports {large:.0f} MB.",
    ]
    update_section(
        "bench:read",
        "## Reading (`gongkai extract`)\n\n" + "\n".join(lines) + "\n\n"
        "Reproduce: `.venv/bin/python benchmarks/bench_read.py`",
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
