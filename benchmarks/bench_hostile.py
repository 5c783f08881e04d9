"""Hostile inputs at the sizes reported in issue 14: time and peak memory of reading and checking each.

Run: .venv/bin/python benchmarks/bench_hostile.py [--before SRC]  (updates docs/benchmarks.md)

Each file is read, extracted and checked by `tests/bounded_read.py` in its own process (so the
peak resident memory is that file's), under a 500 MB address-space limit. `--before SRC` runs the
same files with another checkout's `src`, under a 1.5 GB limit and a 60 s timeout so that the old
blow-ups end without taking the machine down.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _common import ROOT, machine, update_section

sys.path.insert(0, str(ROOT))
from tests import hostile

WORKER = ROOT / "tests" / "bounded_read.py"
MB = 1024 * 1024
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "digits.txt": ("run-together digits no split fits (truncated crawler text)", hostile.run_together_digits),
    "spans.html": ("HTML, 40 rows × 20 cells of colspan = rowspan = 1000", hostile.html_spans),
    "gridspan.docx": ("DOCX, 300 rows × 50 cells of gridSpan 1000", hostile.docx_grid_span),
    "bomb.docx": ("DOCX whose document.xml unpacks to 250 MB", lambda: hostile.docx_bomb(250 * MB)),
    "bomb.xlsx": ("XLSX whose sheet unpacks to 250 MB", lambda: hostile.xlsx_bomb(250 * MB)),
    "bomb.pdf": ("PDF, a FlateDecode stream inflating to 512 MB", hostile.pdf_stream_bomb),
    "nested.html": ("HTML, 5,000 nested tables", hostile.nested_tables),
    "big.txt": ("a valid 4 MB text report (part 一 of 50,000 figures)", hostile.big_text_report),
    "dense.html": ("HTML of `<p>1</p>` just under the byte cap", hostile.dense_html),
    "dense.docx": ("DOCX of one-digit paragraphs just under the unpacked-XML cap", hostile.dense_docx),
    "dense.xlsx": ("XLSX of 10,000 one-digit cells", hostile.dense_xlsx),
    "dense.txt": ("text of one-digit lines just under the cell cap", hostile.dense_text),
}


def measure(path: Path, src: Path, max_mb: int, timeout: float) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, str(WORKER), "--max-mb", str(max_mb), "--check", str(path)]
    try:
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"outcome": f"still running after {timeout:.0f} s"}
    if run.returncode != 0 or not run.stdout:
        return {"outcome": f"process died (exit {run.returncode})"}
    row: dict[str, object] = json.loads(run.stdout)
    if row["outcome"] == "crash":
        detail = str(row["detail"]).strip().splitlines()[-1]
        row["outcome"] = f"crash: {detail[:60]}"
    return row


def cell(row: dict[str, object]) -> str:
    if "s" not in row:
        return f"{row['outcome']} | – | –"
    outcome = str(row["outcome"])
    if outcome == "read-error":
        outcome = f"refused: {str(row['detail']).split(': ', 1)[-1].split(';')[0]}"
    return f"{outcome} | {float(str(row['s'])):.2f} | {float(str(row['peak_mb'])):.0f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="another checkout's src folder to run as well")
    args = parser.parse_args()
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start"
    lines = [
        f"Machine: {machine()}; {load} (a shared machine: times vary with it).",
        "Each file read, extracted and checked in its own process under a",
        "500 MB address-space limit; time and peak RSS are that process's.",
        "",
        "| input | size | outcome | s | peak RSS (MB) |",
        "|---|---|---|---|---|",
    ]
    before: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (what, make) in CASES.items():
            path = Path(tmp) / name
            data = make()
            path.write_bytes(data)
            size = f"{len(data) / 1024:,.0f} KB"
            row = measure(path, ROOT / "src", 500, 120)
            lines.append(f"| {what} | {size} | {cell(row)} |")
            if args.before:
                old = measure(path, args.before, 1500, 60)
                before.append(f"| {what} | {size} | {cell(old)} |")
            print(lines[-1], flush=True)
    if before:
        lines += [
            "",
            "The same files before these caps (`--before`, 1.5 GB limit, 60 s timeout):",
            "",
            "| input | size | outcome | s | peak RSS (MB) |",
            "|---|---|---|---|---|",
            *before,
        ]
    lines += [
        "",
        "The caps are declared in `src/gongkai/limits.py`; `tests/test_read_hostile.py` runs these",
        "classes (smaller) and truncated and bit-flipped files of every type under the same limit.",
        "",
        "Reproduce: `.venv/bin/python benchmarks/bench_hostile.py [--before OLD_SRC]`",
    ]
    update_section("bench:hostile", "## Hostile input (issue 14)\n\n" + "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
