"""Shared helpers for the benchmarks: timing, peak memory, and docs/benchmarks.md sections."""

from __future__ import annotations

import platform
import re
import resource
import statistics
import time
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DOC = ROOT / "docs" / "benchmarks.md"


def per_second(fn: Callable[[], Any], items: int, seconds: float = 2.0) -> float:
    """Items per second of `fn` (which handles `items` items per call), best of 3 rounds."""
    fn()
    rates = []
    for _ in range(3):
        calls, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 3:
            fn()
            calls += 1
        rates.append(calls * items / (time.perf_counter() - start))
    return max(rates)


def median_ms(fn: Callable[[], Any], runs: int = 30) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def peak_rss_mb(job: Callable[[], Any]) -> float:
    """Peak resident memory of a forked process that runs `job` (MB)."""
    context = get_context("fork")
    queue = context.SimpleQueue()

    def run() -> None:
        job()
        queue.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

    process = context.Process(target=run)
    process.start()
    peak = queue.get()
    process.join()
    return float(peak) / 1024


def calibration_ms() -> float:
    """A fixed CPU-bound loop: how fast this machine runs Python right now."""
    start = time.perf_counter()
    sum(range(10_000_000))
    return (time.perf_counter() - start) * 1000


def machine() -> str:
    """Interpreter and a speed calibration, so figures from different machines can be compared."""
    return (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}; "
        f"calibration `sum(range(10_000_000))` = {calibration_ms():.0f} ms"
    )


def update_section(name: str, body: str) -> None:
    """Replace the section between `<!-- name -->` markers in docs/benchmarks.md."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
