"""Reading many files: discovery, parallel extraction, one result per file, flat memory.

Each file is read in isolation and reduced to its canonical JSON before the next one is
handed out, so a run over thousands of reports holds one report per worker at a time.
A failure of one file never stops the run: it becomes a `Failure` with its reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing import get_context
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


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and report-like files below named directories (sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() not in SKIP_SUFFIXES:
                        yield Path(root) / name
        else:
            yield path


def read_one(path: str | Path) -> tuple[Report, Document] | Failure:
    """Read one file into its report and document; every failure, even an unexpected one, is a Failure."""
    from .extraction import ExtractError, extract
    from .reading import ReadError, load
    from .scan_review import review

    name = str(path)
    try:
        document = load(path)
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
    if jobs <= 1 or len(paths) < 2:
        yield from map(extract_one, paths)
        return
    with get_context("spawn" if os.name == "nt" else "fork").Pool(jobs, maxtasksperchild=500) as pool:
        yield from pool.imap(extract_one, paths, chunksize=4)


T = TypeVar("T")
R = TypeVar("R")


def map_files(work: Callable[[T], R], items: list[T], jobs: int = 1) -> Iterator[R]:
    """`work` over `items` in input order, in worker processes when jobs > 1 (as `extract_many`)."""
    if jobs <= 1 or len(items) < 2:
        yield from map(work, items)
        return
    with get_context("spawn" if os.name == "nt" else "fork").Pool(jobs, maxtasksperchild=500) as pool:
        yield from pool.imap(work, items, chunksize=4)
