"""Writing speed: 1,000 reports to DOCX (and the other layouts), reports per second.

Reports are random valid reports of both formats (the property tests' strategy, drawn
once with a fixed seed), so the figure covers real table sizes, not empty ones.

Run: .venv/bin/python benchmarks/bench_write.py  (updates docs/benchmarks.md)
"""

from __future__ import annotations

import sys
import time

from hypothesis import HealthCheck, given, seed, settings

from _common import ROOT, machine, update_section

sys.path.insert(0, str(ROOT))
from tests.strategies import reports

from gongkai.report import Report
from gongkai.writing import write

COUNT = 1000


def draw(count: int) -> list[Report]:
    drawn: list[Report] = []

    @seed(20261121)
    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(reports())
    def collect(report: Report) -> None:
        drawn.append(report)

    collect()
    return drawn[:count]


def main() -> None:
    batch = draw(COUNT)
    lines = [
        f"Machine: {machine()}, one process. {len(batch)} random valid reports (both formats).",
        "",
        "| layout | reports/s | ms per report |",
        "|---|---|---|",
    ]
    for layout in ("docx", "xlsx", "html", "md", "txt"):
        start = time.perf_counter()
        for report in batch:
            write(report, layout)
        elapsed = time.perf_counter() - start
        lines.append(f"| {layout} | {len(batch) / elapsed:,.0f} | {elapsed / len(batch) * 1000:.1f} |")
    update_section(
        "bench:write",
        "## Writing (`gongkai render`)\n\n"
        + "\n".join(lines)
        + "\n\nPDF goes through LibreOffice (one `soffice` run per document, about 1–2 s).\n\n"
        "Reproduce: `.venv/bin/python benchmarks/bench_write.py`",
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
