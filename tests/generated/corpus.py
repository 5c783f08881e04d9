"""The generated corpus: gold reports from `../shared/corpus` and seeded random ones, damaged per class.

Each `Case` is the bytes a reader is handed and the report its tables print. Text classes
come from `transforms`; the `pdf-*` classes are the report written to PDF (LibreOffice)
and turned back into text by the offline converters people use. PDFs are slow to make,
so they are cached by content in `cache`.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import random
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gongkai.formats import FORMATS, Kind
from gongkai.report import Report
from gongkai.writing import write

from .layouts import Laid
from .transforms import ENCODINGS, TRANSFORMS, as_printed, negative_values

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CONVERTERS = ("pdftotext-layout", "pdftotext-raw", "pypdfium2", "pdfplumber", "pdfplumber-markdown")


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # the class: "1-order" … "10-wrong-date", "15-encoding", "pdf-<converter>"
    data: bytes
    filename: str
    gold: Report


def gold_reports() -> list[tuple[str, Report]]:
    """The corpus reports with gold; sections dropped (the writer drafts its own)."""
    found = []
    for path in sorted(CORPUS.glob("*/*.gold.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("_unverified"):
            continue
        report = Report.from_json(data)
        report.sections = {}
        found.append((path.name.removesuffix(".gold.json"), report))
    return found


def random_report(rng: random.Random, format_key: str) -> Report:
    """A valid report (every identity holds), with values small, large and zero like real ones."""
    report = Report.blank(format_key, zero=True)
    report.agency = rng.choice(("北关区曙光路街道办事处", "平潭综合实验区公安局", "淮安市洪泽区人民政府"))
    report.year = rng.randint(2021, 2025) if format_key == "2021" else rng.randint(2019, 2020)
    scale = rng.choice((3, 30, 300))

    def count(high: int) -> int:
        return 0 if rng.random() < 0.5 else rng.randint(0, high)

    proactive = report.table("proactive")
    for row in proactive.rows:
        for column in proactive.columns_of(row):
            if column.kind is Kind.MONEY:
                value: int | str = rng.choice(("0", "1.2500", "37.5", "0.0450"))
            elif column.kind is Kind.SIGNED:
                value = rng.randint(-20, 20)
            elif column.kind is Kind.TEXT:
                value = rng.choice(("251000元", "45.82万元", "0"))
            else:
                value = count(scale * 10)
            report.proactive[row.key][column.key] = value
    requests = report.table("requests")
    parts = [c.key for c in requests.columns if c.key != "total"]
    leaves = [r.key for r in requests.rows if r.leaf]
    grid = report.requests
    for column in parts:
        high = scale if column == "natural_person" else max(scale // 10, 1)
        for row in leaves:
            grid[row][column] = count(high)
        handled = sum(int(grid[row][column] or 0) for row in leaves)
        forward = count(high)
        carried = min(count(high), handled + forward)
        grid["handled_total"][column] = handled
        grid["carried_over"][column] = carried
        grid["carried_forward"][column] = forward
        grid["received"][column] = handled + forward - carried
    for row in requests.rows:
        grid[row.key]["total"] = sum(int(grid[row.key][c] or 0) for c in parts)
    for row in report.table("appeals").rows:
        cells = report.appeals[row.key]
        for column in ("upheld", "corrected", "other", "pending"):
            cells[column] = count(5)
        cells["total"] = sum(int(cells[c] or 0) for c in ("upheld", "corrected", "other", "pending"))
    return report


def sources(randoms: int, seed: int = 0) -> list[tuple[str, Report]]:
    rng = random.Random(seed)
    made = [(f"random-{i}", random_report(rng, sorted(FORMATS)[i % 2])) for i in range(randoms)]
    return gold_reports() + made


def text_cases(randoms: int = 20, variants: int = 2, seed: int = 0) -> Iterator[Case]:
    """Every source report through every text transformation, `variants` seeds each."""
    for name, report in sources(randoms, seed):
        for kind, transform in TRANSFORMS.items():
            for variant in range(variants):
                rng = random.Random(f"{seed}/{name}/{kind}/{variant}")
                gold = copy.deepcopy(report)
                if kind == "8-negative":
                    negative_values(gold, rng)
                text = transform(Laid.of(gold), rng)
                yield Case(f"{name}/{kind}/{variant}", kind, text.encode("utf-8"), "case.txt", gold)
        for kind, encode in ENCODINGS.items():
            for variant in range(variants):
                rng = random.Random(f"{seed}/{name}/{kind}/{variant}")
                data = encode(as_printed(Laid.of(report), rng), rng)
                yield Case(f"{name}/{kind}/{variant}", kind, data, "case.txt", report)


def pdf_of(report: Report, cache: Path) -> bytes:
    data = json.dumps(report.canonical(), sort_keys=True, ensure_ascii=False).encode("utf-8")
    path = cache / f"{hashlib.sha256(data).hexdigest()[:16]}.pdf"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(write(report, "pdf"))
    return path.read_bytes()


def convert(pdf: bytes, converter: str) -> tuple[bytes, str]:
    """The PDF's text as one converter gives it, and the file name it would be saved under."""
    if converter.startswith("pdftotext"):
        flag = "-" + converter.split("-", 1)[1]
        out = subprocess.run(
            ["pdftotext", flag, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
        )
        return out.stdout, "case.txt"
    if converter == "pypdfium2":
        import pypdfium2

        document = pypdfium2.PdfDocument(pdf)
        pages = [page.get_textpage().get_text_range() for page in document]
        return "\n".join(pages).replace("\r\n", "\n").encode("utf-8"), "case.txt"
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        if converter == "pdfplumber":
            return "\n".join(page.extract_text() or "" for page in document.pages).encode("utf-8"), "case.txt"
        out: list[str] = []
        for page in document.pages:
            tables = page.find_tables()
            outside = page
            for table in tables:
                outside = outside.outside_bbox(table.bbox)
            blocks = [(line["top"], [line["text"]]) for line in outside.extract_text_lines()]
            for table in tables:
                rows = [[" ".join((cell or "").split()) for cell in row] for row in table.extract()]
                if rows:
                    head = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
                    blocks.append((table.bbox[1], head + ["| " + " | ".join(row) + " |" for row in rows[1:]]))
            out += [line for _, lines in sorted(blocks, key=lambda b: b[0]) for line in lines]
        return "\n".join(out).encode("utf-8"), "case.md"


def pdf_cases(randoms: int, cache: Path, seed: int = 0) -> Iterator[Case]:
    for name, report in sources(randoms, seed):
        pdf = pdf_of(report, cache)
        for converter in CONVERTERS:
            data, filename = convert(pdf, converter)
            yield Case(f"{name}/pdf-{converter}", f"pdf-{converter}", data, filename, report)
