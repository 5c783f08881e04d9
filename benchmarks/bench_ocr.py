"""OCR of scans: every seed rendered, and the published PDF of the corpus, scanned at 150, 200 and
300 dpi (±1° skew, noise), read back.

Accuracy counts every gold table cell: read exactly, wrong or missing but flagged by a note
(`ocr-uncertain`, `ocr-identity`, or extraction's own), and wrong without a flag (silent). OCR
seconds per page is the read of the image-only PDF (render, deskew, OCR, layout) divided by its
pages, on one core (run under `taskset -c 0`), as CPU time and as wall time.

Run: taskset -c 0 .venv/bin/python benchmarks/bench_ocr.py  (updates docs/benchmarks.md)
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from _common import CORPUS, ROOT, machine, update_section

sys.path.insert(0, str(ROOT))

from tests.scans import as_pdf, rendered_pdf, scan

from gongkai import scan_review
from gongkai.extraction import extract
from gongkai.reading import load_bytes

DPIS = (150, 200, 300)


def sources() -> list[tuple[Path, bytes]]:
    """Each seed's gold written as PDF by gongkai, and the one published PDF as it was printed."""
    seeds = [(gold, rendered_pdf(gold)) for gold in sorted((CORPUS / "seeds").glob("*.gold.json"))]
    real = CORPUS / "real/hzq2024_working"
    return [*seeds, (real.with_suffix(".gold.json"), real.with_suffix(".pdf").read_bytes())]


def main() -> None:
    rows = []
    # cells, exact, flagged, silent, pages, wall seconds, CPU seconds
    totals = {dpi: [0, 0, 0, 0, 0, 0.0, 0.0] for dpi in DPIS}
    for gold_path, pdf in sources():
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for dpi in DPIS:
            images = scan(pdf, dpi, seed=dpi)
            data = as_pdf(images, dpi)
            start, cpu = time.perf_counter(), time.process_time()
            document = load_bytes(data, "scan.pdf")
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            report = scan_review.review(extract(document))
            got = report.canonical()
            flagged = {note.cell for note in report.notes}
            exact = flagged_wrong = silent = cells = 0
            for table in ("proactive", "requests", "appeals"):
                for row, columns in gold[table].items():
                    for column, value in columns.items():
                        cells += 1
                        key = f"{table}.{row}.{column}"
                        if got[table].get(row, {}).get(column) == value:
                            exact += 1
                        elif (
                            key in flagged
                            or f"{table}.{row}" in flagged
                            or got[table].get(row, {}).get(column) is None
                        ):
                            flagged_wrong += 1
                        else:
                            silent += 1
            total = totals[dpi]
            for i, v in enumerate((cells, exact, flagged_wrong, silent, len(images), seconds, cpu)):
                total[i] += v
            rows.append(
                f"| {gold_path.name.split('.')[0]} | {dpi} | {len(images)} | {exact}/{cells} | "
                f"{flagged_wrong} | {silent} | {cpu / len(images):.2f} | {seconds / len(images):.2f} |"
            )
            print(rows[-1], flush=True)
    summary = [
        f"| {dpi} | {t[1]}/{t[0]} ({100 * t[1] / t[0]:.1f}%) | {t[2]} | {t[3]} | {t[6] / t[4]:.2f} | "
        f"{t[5] / t[4]:.2f} |"
        for dpi, t in totals.items()
    ]
    body = f"""## OCR of scans (`gongkai extract scan.pdf`)

Machine: {machine()}; one core (`taskset -c 0`), ONNX Runtime with one thread; load average
while measuring {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores. CPU s/page is the process's
CPU time (what one idle core would take); wall s/page is inflated by whatever else the machine
runs.
Each seed's gold report is written as PDF by gongkai (LibreOffice), and the corpus's one
published PDF (`real/hzq2024_working.pdf`, a district government's own layout) is taken as
printed; each is rasterised by pdftoppm, turned by up to ±1°, given
Gaussian noise (σ 12) and specks, and wrapped as an image-only PDF. A cell is *exact* when it
equals gold; *null or flagged* when it is wrong but left null (unreadable) or named in a note;
*silent* when it is wrong with no flag — the number that must be 0. Seconds per page cover
rendering, deskew, OCR and layout; the model load (about 1 s, once per process) falls on the
first file.

| dpi | exact cells | null or flagged | silent | OCR CPU s/page | wall s/page |
|---|---|---|---|---|---|
{chr(10).join(summary)}

| seed | dpi | pages | exact | null or flagged | silent | CPU s/page | wall s/page |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Reproduce: `taskset -c 0 .venv/bin/python benchmarks/bench_ocr.py`
"""
    update_section("bench:ocr", body)


if __name__ == "__main__":
    main()
