"""`gongkai batch DIR --out OUT [--jobs N]`: the supervisor's pipeline on the command line.

Reads every report under DIR, checks each against its own previous year when that report is
among them, and writes under OUT the dataset (CSV, XLSX, Parquet: one row per agency-year with
every cell), findings.xlsx, each agency-year's tables in the official layout (XLSX) and
summary.html. Safe to re-run: OUT/manifest.json records each file's SHA-256, and what was read
and checked is cached by content under OUT/cache, so an unchanged file is not read again and a
report is checked again only when it or its previous year changed; a table workbook is rewritten
only then. Exit status: 0 every file read, 1 some file could not be read (one line each).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .batch import Failure, discover, map_files, read_one

# The checks, the dataset and the writers are imported where a batch uses them, not for every
# `gongkai` command's start-up.

EXIT_OK, EXIT_FAILED = 0, 1
MANIFEST = "manifest.json"
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
PARQUET_BATCH = 1000
COMMIT_EVERY = 200


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `batch` subcommand on the `gongkai` parser's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "batch",
        help="批量读取、检查、与上年比较，输出数据集、检查发现和汇总页 (the supervisor's pipeline)",
    )
    parser.add_argument("directory", metavar="DIR")
    parser.add_argument("--out", required=True, metavar="OUT", help="输出目录（可重复运行，未变的文件跳过）")
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="worker processes (default 1)")
    parser.add_argument(
        "--tables",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="每个机关每个年度写一份官方格式表格 XLSX（默认写）",
    )
    parser.add_argument(
        "--region",
        metavar="AGENCY",
        help="本级机关名称：其余机关逐格汇总后与该机关本级报告核对，列出不一致的单元格",
    )
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    parser.set_defaults(run=run_batch)
    return parser


# -- work done in worker processes (picklable tasks and results) ------------------------------


@dataclass(frozen=True, slots=True)  # one per file, kept for the whole run
class Read:
    """What the main process keeps of one file: enough to pair years, not the report itself."""

    file: str
    sha256: str
    agency: str | None = None
    year: int | None = None
    failure: tuple[str, str] | None = None  # (zh, en)

    def to_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "agency": self.agency, "year": self.year, "failure": self.failure}


class Cache:
    """What was read and what was checked, by content hash, in one SQLite file.

    One database rather than a file per report: creating thousands of small files costs more
    than reading the reports on many file systems. WAL lets worker processes read while the
    main process writes; each process opens its own connection (none crosses a fork).
    """

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.db = sqlite3.connect(path, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        for table in ("read", "checked"):
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, data TEXT NOT NULL)")
        self.db.commit()
        self.pending = 0

    def get(self, table: str, key: str) -> str | None:
        row = self.db.execute(f"SELECT data FROM {table} WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def keys(self, table: str) -> set[str]:
        return {str(row[0]) for row in self.db.execute(f"SELECT key FROM {table}")}

    def put(self, table: str, key: str, data: str) -> None:
        self.db.execute(f"INSERT OR REPLACE INTO {table} (key, data) VALUES (?, ?)", (key, data))
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        self.pending = 0


_OPEN: dict[tuple[int, str], Cache] = {}


def _cache(path: str) -> Cache:
    """This process's connection to the cache (worker processes open their own)."""
    key = (os.getpid(), path)
    if key not in _OPEN:
        _OPEN[key] = Cache(Path(path))
    return _OPEN[key]


def read_file(task: tuple[str, str]) -> tuple[Read, str]:
    """Read one file: what the main process keeps, and the report and text to cache (as JSON)."""
    file, sha = task
    result = read_one(file)
    if isinstance(result, Failure):
        return Read(file, sha, failure=(result.zh, result.en)), json.dumps(
            {"failure": [result.zh, result.en]}
        )
    report, document = result
    data = json.dumps({"report": report.to_json(), "text": document.text()}, ensure_ascii=False)
    return Read(file, sha, report.agency, report.year), data


@dataclass(frozen=True, slots=True)  # one per file, kept for the whole run
class Assess:
    file: str
    sha256: str
    cache: str  # the cache database
    key: str  # of the check: this report's and its previous year's hashes
    previous_file: str = ""
    previous_sha256: str = ""
    tables: str = ""  # the official-layout workbook to write, when asked for


def assess(task: Assess) -> tuple[bool, str]:
    """Check one report against its previous year: its dataset row, its findings, its tables.

    Returns whether it was checked now (else the cached result is returned) and the result as JSON.
    """
    from . import dataset
    from .checks import Context, check
    from .indicators import measure_all
    from .report import Report

    cache = _cache(task.cache)
    cached = cache.get("checked", task.key)
    if cached is not None and (not task.tables or Path(task.tables).exists()):
        return False, cached
    stored = json.loads(cache.get("read", task.sha256) or "{}")
    report = Report.from_json(stored["report"])
    previous = None
    if task.previous_sha256:
        previous = Report.from_json(json.loads(cache.get("read", task.previous_sha256) or "{}")["report"])
    findings = check(report, Context(previous=previous, text=stored["text"]))
    data = {
        "report": report.canonical(),
        "row": dataset.row(
            report, task.file, task.sha256, findings, measure_all(report), previous, task.previous_file
        ),
        "findings": dataset.finding_rows(report, task.file, findings),
    }
    if task.tables:
        from .writing import xlsx

        _write_bytes(Path(task.tables), xlsx.write(report))
    return True, json.dumps(data, ensure_ascii=False)


# -- the command ---------------------------------------------------------------------------


def run_batch(args: argparse.Namespace) -> int:
    import hashlib

    from tqdm import tqdm

    from . import summary
    from .report import Report

    source, out = Path(args.directory), Path(args.out)
    if not source.is_dir():
        print(f"错误\t{source}\t不是目录（not a directory）", file=sys.stderr)
        return EXIT_FAILED
    out.mkdir(parents=True, exist_ok=True)
    database = str(out / f"cache-{__version__}.sqlite")
    cache = _cache(database)
    inside = out.resolve()
    paths = [p for p in discover([source]) if not p.resolve().is_relative_to(inside)]
    jobs = max(1, args.jobs or os.cpu_count() or 1)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    bar = {"disable": not show, "unit": "份", "file": sys.stderr}

    known = _load_manifest(out / MANIFEST)
    have = cache.keys("read")
    reads: list[Read] = []
    tasks: list[tuple[str, str]] = []
    for path in paths:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        entry = known.get(str(path))
        if sha not in have:
            tasks.append((str(path), sha))
        elif entry and entry.get("sha256") == sha:
            reads.append(_from_manifest(str(path), entry))
        else:  # moved or renamed, not changed
            reads.append(_from_cache(str(path), sha, json.loads(cache.get("read", sha) or "{}")))
    skipped = len(reads)
    for read, data in tqdm(map_files(read_file, tasks, jobs), total=len(tasks), desc="读取", **bar):
        cache.put("read", read.sha256, data)
        reads.append(read)
    cache.commit()
    reads.sort(key=lambda r: r.file)

    pages = summary.Summary(files=len(paths), skipped=skipped, region=args.region)
    chosen: dict[tuple[str, int | None], Read] = {}
    for read in reads:
        if read.failure:
            pages.failures.append((read.file, read.failure[0]))
            print(f"错误\t{read.file}\t{read.failure[0]}（{read.failure[1]}）", file=sys.stderr)
            continue
        key = (read.agency or read.file, read.year)
        if key in chosen:
            pages.duplicates.append((read.file, chosen[key].file))
            print(f"注意\t{read.file}\t与 {chosen[key].file} 为同一机关同一年度，未计入", file=sys.stderr)
            continue
        chosen[key] = read

    assessments = [
        _assessment(
            read, chosen.get((key[0], key[1] - 1)) if key[1] is not None else None, database, out, args
        )
        for key, read in sorted(chosen.items(), key=lambda item: (item[0][0], item[0][1] or 0))
    ]
    with _outputs(out) as sink:
        results = map_files(assess, assessments, jobs)
        for task, (fresh, text) in tqdm(
            zip(assessments, results, strict=True), total=len(assessments), desc="检查", **bar
        ):
            if fresh:
                cache.put("checked", task.key, text)
            data = json.loads(text)
            sink.add(data)
            pages.add(Report.from_json(data["report"]), data["findings"])
    cache.commit()
    _OPEN.pop((os.getpid(), database)).db.close()
    _write_bytes(out / "summary.html", summary.html(pages).encode("utf-8"))
    _write_json(out / MANIFEST, {"gongkai": __version__, "files": {r.file: r.to_json() for r in reads}})
    failed = len(pages.failures)
    print(
        f"共 {len(paths)} 份：读取 {len(tasks)} 份，未变跳过 {skipped} 份，失败 {failed} 份，"
        f"计入 {len(assessments)} 个机关年度；输出在 {out}",
        file=sys.stderr,
    )
    return EXIT_FAILED if failed or not paths else EXIT_OK


def _assessment(
    read: Read, previous: Read | None, database: str, out: Path, args: argparse.Namespace
) -> Assess:
    tables = ""
    if args.tables:
        folder = out / "tables" / _safe(read.agency or Path(read.file).stem)
        tables = str(folder / f"{read.year or '未识别年度'}.xlsx")
    prior = previous.sha256 if previous else ""
    return Assess(
        read.file,
        read.sha256,
        database,
        f"{read.sha256}.{prior or 'none'}.{int(args.tables)}",
        previous.file if previous else "",
        prior,
        tables,
    )


def _from_manifest(file: str, entry: dict[str, Any]) -> Read:
    failure = entry.get("failure")
    said = (failure[0], failure[1]) if failure else None
    return Read(file, entry["sha256"], entry.get("agency"), entry.get("year"), said)


def _from_cache(file: str, sha: str, stored: dict[str, Any]) -> Read:
    if "failure" in stored:
        return Read(file, sha, failure=(stored["failure"][0], stored["failure"][1]))
    return Read(file, sha, stored["report"].get("agency"), stored["report"].get("year"))


def _safe(name: str) -> str:
    """A folder name from an agency name: no separators or control characters, no leading dots."""
    return UNSAFE.sub("_", name).lstrip(". ")[:100] or "未识别机关"


def _load_manifest(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("gongkai") != __version__:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _write_bytes(path: Path, data: bytes) -> None:
    """Write whole or not at all: a run stopped midway leaves the previous file, not half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _write_json(path: Path, data: Any) -> None:
    _write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


# -- the dataset files, written as rows arrive --------------------------------------------------


class Sink:
    """dataset.csv, dataset.xlsx, dataset.parquet and findings.xlsx, one agency-year at a time."""

    def __init__(self, out: Path) -> None:
        from openpyxl import Workbook

        from . import dataset

        self.out = out
        partial = out / "dataset.csv.partial"
        self.csv_handle = partial.open("w", newline="", encoding="utf-8-sig")
        self.csv = csv.writer(self.csv_handle)
        self.csv.writerow(dataset.HEADER)
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("数据")
        self.sheet.append(dataset.HEADER)
        self.findings_book = Workbook(write_only=True)
        self.findings = self.findings_book.create_sheet("检查发现")
        self.findings.append(dataset.FINDING_HEADER_ZH)
        self.parquet = _Parquet(out / "dataset.parquet.partial")

    def add(self, data: dict[str, Any]) -> None:
        from .writing.inert import inert_cells, inert_row

        row = data["row"]
        self.csv.writerow(inert_row(row))
        self.sheet.append(inert_cells(self.sheet, row))
        for finding in data["findings"]:
            self.findings.append(inert_cells(self.findings, finding))
        self.parquet.add(row)

    def close(self) -> None:
        self.csv_handle.close()
        os.replace(self.out / "dataset.csv.partial", self.out / "dataset.csv")
        _columns_sheet(self.book.create_sheet("列说明"))
        self.book.save(self.out / "dataset.xlsx.partial")
        os.replace(self.out / "dataset.xlsx.partial", self.out / "dataset.xlsx")
        self.findings_book.save(self.out / "findings.xlsx.partial")
        os.replace(self.out / "findings.xlsx.partial", self.out / "findings.xlsx")
        if self.parquet.close():
            os.replace(self.out / "dataset.parquet.partial", self.out / "dataset.parquet")


@contextmanager
def _outputs(out: Path) -> Iterator[Sink]:
    sink = Sink(out)
    yield sink
    sink.close()


def _columns_sheet(sheet: Any) -> None:
    """What each dataset column is, in Chinese (`dataset.meanings`)."""
    from . import dataset
    from .writing.inert import inert_cells

    sheet.append(("列", "含义"))
    for pair in dataset.meanings():
        sheet.append(inert_cells(sheet, pair))


class _Parquet:
    """Parquet for researchers through pyarrow (the optional extra `data`), in row groups of 1,000."""

    def __init__(self, path: Path) -> None:
        from . import dataset

        self.path = path
        self.rows: list[list[Any]] = []
        self.writer: Any = None
        self.pa: Any = None
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            print(
                "注意\t未安装 pyarrow，未写 dataset.parquet（pip install 'gongkai[data]'）", file=sys.stderr
            )
            return
        self.pa = pa
        types = {
            column: pa.string()
            if column in dataset.TEXT_COLUMNS
            else pa.float64()
            if column in dataset.FLOAT_COLUMNS
            else pa.int64()
            for column in dataset.HEADER
        }
        self.schema = pa.schema([(column, types[column]) for column in dataset.HEADER])
        self.writer = pq.ParquetWriter(str(path), self.schema)

    def add(self, row: list[Any]) -> None:
        if self.writer is None:
            return
        self.rows.append(row)
        if len(self.rows) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        from . import dataset

        columns = list(zip(*self.rows, strict=True)) if self.rows else [() for _ in dataset.HEADER]
        arrays = [
            self.pa.array(list(values), type=field.type)
            for values, field in zip(columns, self.schema, strict=True)
        ]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.rows = []

    def close(self) -> bool:
        if self.writer is None:
            return False
        if self.rows:
            self._flush()
        self.writer.close()
        return True
