"""`gongkai extract DIR --json -o OUT` as a whole process on one core, beside reading in-process.

Run: .venv/bin/python benchmarks/bench_cli.py [N] [--before SRC]  (updates docs/benchmarks.md)

N text reports (default 1,000, the tab layout of bench_check) are written to a folder in RAM;
the command runs pinned to core 0 (`taskset -c 0`), best of three by wall time, and its CPU time
(user + system) is reported too, since on a shared machine wall time includes waiting for the core.
In-process is `extract_one` on the same files, pinned likewise. `--before SRC` also times the CLI
from another checkout's `src` (e.g. `git archive <commit> src | tar -x -C /tmp/old`).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine, update_section
from bench_check import make
from gongkai.batch import extract_one


def run_cli(folder: Path, src: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `gongkai extract FOLDER --json -o OUT` pinned to core 0."""
    out = folder.parent / "out"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = ["taskset", "-c", "0", sys.executable, "-m", "gongkai.cli", "extract", str(folder)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([*command, "--json", "-o", str(out)], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1000)
    parser.add_argument("--before", type=Path, help="another checkout's src folder to time as well")
    args = parser.parse_args()
    n = args.n
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start"
    rng = random.Random(2024)
    # In RAM where there is /dev/shm: the figure is the command's, not the disk's (creating a file
    # in this machine's /tmp took 3 ms, more than reading a report).
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        for index in range(n):
            (folder / f"{index:04d}.txt").write_bytes(make(rng, index))
        rows = []
        if args.before:
            wall, cpu = best([run_cli(folder, args.before) for _ in range(3)])
            rows.append(("CLI before (`--before`)", wall, cpu))
        wall, cpu = best([run_cli(folder, ROOT / "src") for _ in range(3)])
        rows.append(("CLI now", wall, cpu))
        os.sched_setaffinity(0, {0})
        paths = sorted(folder.iterdir())
        rounds = []
        for _ in range(3):
            start, cpu_start = time.perf_counter(), time.process_time()
            for path in paths:
                extract_one(path)
            rounds.append((time.perf_counter() - start, time.process_time() - cpu_start))
        wall, cpu = best(rounds)
        rows.append(("in-process `extract_one` (no output written)", wall, cpu))
    lines = [
        f"Machine: {machine()}; {load} (a shared machine: times vary with it).",
        f"{n} text reports (tab layout), pinned to core 0, best of three.",
        "",
        "| run | wall (s) | reports/s (wall) | CPU (s) | reports/s (CPU) |",
        "|---|---|---|---|---|",
        *(
            f"| {name} | {wall:.2f} | {n / wall:,.0f} | {cpu:.2f} | {n / cpu:,.0f} |"
            for name, wall, cpu in rows
        ),
        "",
        "Where the CLI lost against in-process reading: `-o DIR --json` wrote each report with",
        "`json.dumps(indent=2)`, and the standard library drops from its C encoder to pure Python",
        "whenever it indents (a third of the run under a profiler); orjson now writes the same indented",
        "JSON in 0.05 ms (the standard library only for a report with a count beyond 64 bits, which",
        "orjson refuses). What the process pays once: start-up imported the checks, the dataset writers,",
        "multiprocessing, hashlib and sqlite3 for every command through `batch_cli` (about 60 ms on a",
        "quiet core); now each loads where it is used. Compiling the label patterns on the first reports",
        "costs about 100 ms per process (92 patterns; Python compiles them in pure Python), a tenth of",
        "the run at 1,000 files. Per report, reading was cut by finding where the reader repeated work:",
        "`tokens_between` sliced every cell and built tokens through the keyword constructor, `_fill`",
        "converted empty cells, `_trim` copied every row, and three regex scans ran over label text that",
        "holds no digit (valgrind counts 16.2 million instructions per report in `extract_one` before,",
        "12.6 million after, for the same reading). The rest of the gap is writing 1,000 files.",
        "Creating a file in this machine's /tmp took 3 ms (more than reading a report), so the folder is",
        "in /dev/shm. On a loaded machine compare the CPU columns, and scale by the calibration: the",
        "target of 500 reports/s is for one quiet core (this host, quiet, has measured 100-260 ms).",
        "",
        "Reproduce: `.venv/bin/python benchmarks/bench_cli.py [N] [--before OLD_SRC]`",
    ]
    update_section("bench:cli", "## Extracting from the command line\n\n" + "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
