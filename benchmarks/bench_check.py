"""Checking 1,000 text reports against reading them: `python benchmarks/bench_check.py [N]`.

The target is check time <= 1.5x read time. The reports are the seeds' tab layout, made by
gongkai.writing.text from random consistent tables with one identity broken in every
third report, so the checks do their full work, findings included.
"""

from __future__ import annotations

import random
import sys
import time

from _common import machine, update_section
from gongkai.checks import Context, check
from gongkai.extraction import extract
from gongkai.formats import CellRef
from gongkai.formats.common import APPLICANT_PARTS
from gongkai.reading import load_bytes
from gongkai.report import Report
from gongkai.writing import text


def fill_requests(report: Report, rng: random.Random) -> None:
    """Table 三 with a few random outcomes per applicant column, its totals and receipts adding up."""
    leaves = [row.key for row in report.table("requests").rows if row.leaf]
    for column in APPLICANT_PARTS:
        for row in rng.sample(leaves, 3):
            report.set(CellRef("requests", row, column), rng.randint(0, 30))
        handled = sum(int(report.get(CellRef("requests", row, column)) or 0) for row in leaves)
        for row, value in (("handled_total", handled), ("received", handled)):
            report.set(CellRef("requests", row, column), value)
    for row in report.table("requests").rows:
        total = sum(int(report.get(CellRef("requests", row.key, c)) or 0) for c in APPLICANT_PARTS)
        report.set(CellRef("requests", row.key, "total"), total)


def make(rng: random.Random, index: int) -> bytes:
    fmt, year = rng.choice((("2021", 2023), ("2019", 2020)))
    report = Report.blank(fmt, zero=True)
    report.agency, report.year = f"示例区第{index}街道办事处", year
    fill_requests(report, rng)
    if index % 3 == 0:
        report.set(CellRef("requests", "handled_total", "total"), 1)
    return text.write(report)


def main(n: int = 1000) -> None:
    rng = random.Random(2024)
    documents = [make(rng, i) for i in range(n)]
    start = time.perf_counter()
    read = [(extract(doc), doc) for doc in (load_bytes(data, f"{i}.txt") for i, data in enumerate(documents))]
    read_time = time.perf_counter() - start
    texts = [doc.text() for _, doc in read]
    start = time.perf_counter()
    findings = sum(
        len(check(report, Context(text=body))) for (report, _), body in zip(read, texts, strict=True)
    )
    check_time = time.perf_counter() - start
    lines = [
        f"Machine: {machine()}, one process. {n} text reports (tab layout), a third with a broken identity.",
        "",
        "| step | total (s) | per report (ms) |",
        "|---|---|---|",
        f"| read (load + extract) | {read_time:.2f} | {read_time / n * 1000:.2f} |",
        f"| check (all rules, {findings} findings) | {check_time:.2f} | {check_time / n * 1000:.2f} |",
        "",
        f"check ÷ read = {check_time / read_time:.2f} (target ≤ 1.5).",
    ]
    update_section(
        "bench:check",
        "## Checking (`gongkai check`)\n\n"
        + "\n".join(lines)
        + "\n\nReproduce: `.venv/bin/python benchmarks/bench_check.py`",
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
