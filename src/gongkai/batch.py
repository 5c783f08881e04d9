"""Reading many files: discovery, parallel extraction, one result per file, flat memory.

Each file is read in isolation and reduced to its canonical JSON before the next one is
handed out, so a run over thousands of reports holds one report per worker at a time.
A failure of one file never stops the run: it becomes a `Failure` with its reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .reading.document import Document
    from .report import Report

SKIP_SUFFIXES = {".json", ".md", ".tsv", ".csv", ".py", ".gif", ".zip", ".gz"}


@dataclass(frozen=True)
class Failure:
    path: str
    zh: str
    en: str


@dataclass(frozen=True)
class Success:
    path: str
    report: dict[str, Any]


Result = Success | Failure

NO_TABLE_ZH = "未能读出任何表格数值（三张统计表的单元格全部无法识别），不能视为一份没有问题的报告"
NO_TABLE_EN = (
    "no table value could be read (every cell of the three tables is unreadable); not a clean report"
)


def table_read(grids: Iterable[Mapping[str, Mapping[str, object]]]) -> bool:
    """Whether any table cell holds a value: a report whose every cell is null was not read at all.

    Takes the grids of a `Report` or of its JSON alike (table -> row -> column -> value).
    """
    return any(value is not None for grid in grids for row in grid.values() for value in row.values())


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and report-like files below named directories (sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if report_like(name):
                        yield Path(root) / name
        else:
            yield path


def report_like(name: str) -> bool:
    """A file name that may hold a report: not hidden, not data or images gongkai itself writes."""
    return not name.startswith(".") and Path(name).suffix.lower() not in SKIP_SUFFIXES


def read_one(path: str | Path, data: bytes | None = None) -> tuple[Report, Document] | Failure:
    """Read one file (or `data`, its content already read) into its report and document; every
    failure, even an unexpected one, is a Failure."""
    from .extraction import ExtractError, extract
    from .reading import ReadError, check_size, load, load_bytes
    from .scan_review import review

    name = str(path)
    try:
        if data is None:
            document = load(path)
        else:
            check_size(len(data))
            document = load_bytes(data, name)
        return review(extract(document)), document
    except (ReadError, ExtractError) as exc:
        return Failure(name, exc.zh, exc.en)
    except MemoryError:
        return Failure(name, "内存不足，无法读取该文件", "out of memory while reading this file")
    except Exception as exc:  # a reader bug must not end a batch of thousands
        return Failure(
            name,
            f"读取时发生内部错误（{type(exc).__name__}: {exc}）",
            f"internal error: {type(exc).__name__}: {exc}",
        )


def extract_one(path: str | Path) -> Result:
    """Read one file into its canonical JSON (picklable, for worker processes)."""
    result = read_one(path)
    return result if isinstance(result, Failure) else Success(str(path), result[0].to_json())


def extract_many(paths: list[Path], jobs: int = 1) -> Iterator[Result]:
    """Results in input order; with jobs > 1, files are read in worker processes."""
    return map_files(extract_one, paths, jobs)


T = TypeVar("T")
R = TypeVar("R")


def map_files(work: Callable[[T], R], items: Iterable[T], jobs: int = 1, window: int = 256) -> Iterator[R]:
    """`work` over `items` in input order, in worker processes when jobs > 1 (as `extract_many`).

    At most `window` items are handed out ahead of the results taken: a pool would otherwise
    draw the whole of a lazy `items` at once, and memory would grow with the number of files.
    """
    if jobs <= 1:
        yield from map(work, items)
        return
    import threading
    from multiprocessing import get_context

    slots = threading.Semaphore(window)
    stopped = threading.Event()

    def handed_out() -> Iterator[T]:  # drawn by the pool's feeder thread
        for item in items:
            slots.acquire()
            if stopped.is_set():
                return
            yield item

    with get_context("spawn" if os.name == "nt" else "fork").Pool(jobs, maxtasksperchild=500) as pool:
        try:
            for result in pool.imap(work, handed_out(), chunksize=4):
                slots.release()
                yield result
        finally:
            stopped.set()
            slots.release()  # a feeder waiting for a slot wakes, sees the stop and ends
