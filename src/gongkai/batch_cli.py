"""`gongkai batch DIR --out OUT [--jobs N]`: the supervisor's pipeline on the command line.

Reads every report under DIR, checks each against its own previous year when that report is
among them, and writes under OUT the dataset (CSV, XLSX, Parquet: one row per agency-year with
every cell), findings.xlsx, each agency-year's tables in the official layout (XLSX) and
summary.html. Safe to re-run: what was read, each report's own checks and its workbook are
cached by content (SHA-256) in OUT/cache-VERSION.sqlite, so an unchanged file is not read again;
pairing the years and the year-on-year checks are redone, and a table workbook is rewritten only
when it would hold another report. OUT/manifest.json lists each file's SHA-256, agency and year.
Memory stays flat: the file list lives in the cache, and only one agency-year is held at a time.
With --jobs N, N worker processes read the files, and dataset.xlsx and findings.xlsx are written
by one more process beside the pairing.
Exit status: 0 every file read, 1 some file could not be read (one line each).
"""

from __future__ import annotations

import argparse
import csv
import json
import marshal
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .batch import Failure, discover, map_files, read_one

if TYPE_CHECKING:
    from .indicators import Measure
    from .report import Report
    from .summary import Summary

# The checks, the dataset and the writers are imported where a batch uses them, not for every
# `gongkai` command's start-up.

EXIT_OK, EXIT_FAILED = 0, 1
MANIFEST = "manifest.json"
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
PARQUET_BATCH = 1000
COMMIT_EVERY = 200
# marshal's format may change with Python's minor version: the schema number says which wrote it
CACHE_SCHEMA = 2_00_00 + sys.version_info[0] * 100 + sys.version_info[1]
EMPTY = marshal.dumps({})
CACHE_TABLES = {
    "read": "key TEXT PRIMARY KEY, agency TEXT, year INTEGER, failure TEXT, data BLOB NOT NULL",
    "workbook": "key TEXT PRIMARY KEY, data BLOB NOT NULL",  # the official-layout XLSX, by hash
    "file": "path TEXT PRIMARY KEY, sha256 TEXT NOT NULL",  # this run's files
    "written": "path TEXT PRIMARY KEY, sha256 TEXT NOT NULL",  # which report each table file holds
}


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


# -- the cache: what was read, by content, and this run's files --------------------------------


class Cache:
    """What was read, by content hash, and the files of this run, in one SQLite file.

    One database rather than a file per report: creating thousands of small files costs more
    than reading the reports on many file systems. It also holds the run's file list, so pairing
    years and writing the manifest are queries, not lists held in memory (memory stays flat).
    WAL lets worker processes read while the main process writes; each process opens its own
    connection (none crosses a fork).
    """

    def __init__(self, path: str) -> None:
        import sqlite3

        self.path = path
        self.db = sqlite3.connect(path, timeout=60)
        # A report's blob is some 20 KB: 16 KB pages store and fetch it in two, where 4 KB pages
        # chain a dozen overflow pages, each written and read by a system call of its own (the
        # file is no larger). Only a new cache takes it; an existing one keeps its page size.
        self.db.execute("PRAGMA page_size=16384")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if self.db.execute("PRAGMA user_version").fetchone()[0] != CACHE_SCHEMA:
            for table in ("read", "checked", *CACHE_TABLES):
                self.db.execute(f"DROP TABLE IF EXISTS {table}")
            self.db.execute(f"PRAGMA user_version = {CACHE_SCHEMA}")
        for table, columns in CACHE_TABLES.items():
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        self.db.commit()
        self.pending = 0

    def has(self, sha: str, workbook: bool) -> bool:
        """Whether `sha` was read (and, when asked for, its workbook written) by an earlier run."""
        found = self.db.execute("SELECT failure FROM read WHERE key = ?", (sha,)).fetchone()
        if found is None or not workbook or found[0] is not None:  # a failure has no workbook
            return found is not None
        return self.db.execute("SELECT 1 FROM workbook WHERE key = ?", (sha,)).fetchone() is not None

    def data(self, sha: str) -> dict[str, Any]:
        row = self.db.execute("SELECT data FROM read WHERE key = ?", (sha,)).fetchone()
        try:
            data = marshal.loads(row[0])
        except (EOFError, ValueError, TypeError) as exc:
            raise SystemExit(
                f"错误\t{self.path}\t缓存已损坏，请删除该文件后重新运行（corrupt cache: {exc}）"
            ) from exc
        return dict(data)

    def workbook(self, sha: str) -> bytes:
        return bytes(self.db.execute("SELECT data FROM workbook WHERE key = ?", (sha,)).fetchone()[0])

    def put(self, table: str, *values: object) -> None:
        marks = ", ".join("?" * len(values))
        self.db.execute(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", values)
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        self.pending = 0

    def close(self) -> None:
        self.commit()
        _OPEN.pop((os.getpid(), self.path), None)
        self.db.close()


_OPEN: dict[tuple[int, str], Cache] = {}


def _cache(path: str) -> Cache:
    """This process's connection to the cache (worker processes open their own)."""
    key = (os.getpid(), path)
    if key not in _OPEN:
        _OPEN[key] = Cache(path)
    return _OPEN[key]


# -- reading, in worker processes (picklable tasks and results) ---------------------------------


@dataclass(frozen=True, slots=True)
class Task:
    file: str
    cache: str  # the cache database
    workbook: bool  # write the official-layout workbook too


@dataclass(frozen=True, slots=True)
class Stored:
    """One file as read: what pairs it with other years, its report and own findings, its workbook."""

    agency: str | None
    year: int | None
    failure: str | None  # JSON [zh, en]
    data: bytes  # marshal: the cache's own data, read back several times faster than JSON
    workbook: bytes | None = None


@dataclass(frozen=True, slots=True)
class Read:
    """What became of one task: the file's SHA-256 and, unless an earlier run read the same
    content, what was read; or why the file could not be opened."""

    file: str
    sha256: str = ""
    stored: Stored | None = None
    unopened: str = ""


def read_file(task: Task) -> Read:
    """Hash one file and, unless the cache has its content, read it and check it on its own.

    The file is read once, in the worker: its bytes are hashed and then parsed. The checks run
    here with the document's text (every rule but those comparing with last year), so that the
    text need not be kept: pairing the years later adds only `checks.check_year_on_year`.
    """
    from .checks import Context, check

    try:
        content, sha = _content(task.file)
    except OSError as exc:
        return Read(task.file, unopened=f"无法打开文件（{exc.strerror or exc}）")
    if _cache(task.cache).has(sha, task.workbook):
        return Read(task.file, sha)
    result = read_one(task.file, content)
    if isinstance(result, Failure):
        failure = json.dumps([result.zh, result.en], ensure_ascii=False)
        return Read(task.file, sha, Stored(None, None, failure, EMPTY))
    report, document = result
    findings = check(report, Context(text=document.text()))
    data = {"report": report.to_json(), "findings": [f.to_json() for f in findings]}
    workbook = None
    if task.workbook:
        from .writing import xlsx

        workbook = xlsx.write(report)
    return Read(task.file, sha, Stored(report.agency, report.year, None, _packed(data), workbook))


def _content(file: str) -> tuple[bytes | None, str]:
    """The file's bytes and SHA-256; a file past the reader's size limit is hashed a block at a
    time and not held (None: reading it then fails on its size alone)."""
    import hashlib

    from .limits import MAX_FILE_BYTES

    with open(file, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
            return None, hashlib.file_digest(handle, "sha256").hexdigest()
        content = handle.read(MAX_FILE_BYTES + 1)
    return content, hashlib.sha256(content).hexdigest()


def _packed(data: dict[str, Any]) -> bytes:
    """`data` marshalled; marshal takes plain types only, so anything JSON would write as a plain
    value (a `str` subclass such as an enum member) is made one first, rather than failing."""
    try:
        return marshal.dumps(data)
    except ValueError:
        return marshal.dumps(json.loads(json.dumps(data, ensure_ascii=False)))


# -- the command ---------------------------------------------------------------------------


def run_batch(args: argparse.Namespace) -> int:
    with _fewer_collections():
        return _run_batch(args)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector run every 20,000 new container objects instead of 700.

    A report makes thousands of short-lived dicts, lists and tuples (cells, tokens, provenance),
    nearly all freed by reference counting; at the default threshold the collector walks the
    report being read again and again while it is still alive (1 % of a run's instructions).
    Worker processes are forked inside, so they inherit it; the old thresholds come back after.
    """
    import gc

    before = gc.get_threshold()
    gc.set_threshold(20_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _run_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from . import summary

    source, out = Path(args.directory), Path(args.out)
    if not source.is_dir():
        print(f"错误\t{source}\t不是目录（not a directory）", file=sys.stderr)
        return EXIT_FAILED
    out.mkdir(parents=True, exist_ok=True)
    database = str(out / f"cache-{__version__}.sqlite")
    cache = _cache(database)
    inside = out.resolve()

    def files() -> Iterator[Path]:
        return _outside(discover([source]), inside)

    show = args.progress if args.progress is not None else sys.stderr.isatty()
    bar = {"disable": not show, "unit": "份", "file": sys.stderr}
    jobs = max(1, args.jobs or os.cpu_count() or 1)

    cache.db.execute("DELETE FROM file")
    unreadable: list[tuple[str, str]] = []
    count = read = 0
    tasks = (Task(str(path), database, args.tables) for path in files())
    total = sum(1 for _ in files()) if show else None
    for done in tqdm(map_files(read_file, tasks, jobs), total=total, desc="读取", **bar):
        if done.unopened:
            unreadable.append((done.file, done.unopened))
            continue
        count += 1
        cache.put("file", done.file, done.sha256)
        stored = done.stored
        if stored is not None:
            read += 1
            cache.put("read", done.sha256, stored.agency, stored.year, stored.failure, stored.data)
            if stored.workbook is not None:
                cache.put("workbook", done.sha256, stored.workbook)
    cache.commit()

    pages = summary.Summary(files=count + len(unreadable), skipped=count - read, region=args.region)
    for file, reason in unreadable:
        pages.failures.append((file, reason))
        print(f"错误\t{file}\t{reason}", file=sys.stderr)
    failed = cache.db.execute(
        "SELECT f.path, r.failure FROM file f JOIN read r ON r.key = f.sha256"
        " WHERE r.failure IS NOT NULL ORDER BY f.path"
    )
    for file, failure in failed:
        zh, en = json.loads(failure)
        pages.failures.append((file, zh))
        print(f"错误\t{file}\t{zh}（{en}）", file=sys.stderr)

    assessed = 0
    with _outputs(out, apart=jobs > 1) as sink:
        for report, findings, row, measures in tqdm(_assessed(cache, out, args, pages), desc="检查", **bar):
            sink.add(row, findings)
            pages.add(report, findings, measures=measures)
            assessed += 1
    pages.duplicates.sort()  # by file, as the failures: found in order of agency and year
    _write_manifest(cache, out / MANIFEST)
    cache.close()
    _write_bytes(out / "summary.html", summary.html(pages).encode("utf-8"))
    print(
        f"共 {pages.files} 份：读取 {read} 份，未变跳过 {pages.skipped} 份，失败 {len(pages.failures)} 份，"
        f"计入 {assessed} 个机关年度；输出在 {out}",
        file=sys.stderr,
    )
    return EXIT_FAILED if pages.failures or not pages.files else EXIT_OK


def _outside(paths: Iterator[Path], out: Path) -> Iterator[Path]:
    """The files not under OUT (the run's own outputs are never its inputs). Files come folder by
    folder: each folder is resolved once, and a symlinked file on its own."""
    folder, inside = None, False
    for path in paths:
        if path.is_symlink():
            if not path.resolve().is_relative_to(out):
                yield path
            continue
        if path.parent != folder:
            folder, inside = path.parent, path.parent.resolve().is_relative_to(out)
        if not inside:
            yield path


@dataclass(frozen=True, slots=True)
class _Year:
    name: str  # the agency, or the file when none was read
    year: int | None
    file: str
    report: Report


def _assessed(
    cache: Cache, out: Path, args: argparse.Namespace, pages: Summary
) -> Iterator[tuple[Report, list[list[Any]], list[Any], dict[str, Measure]]]:
    """Each agency-year once, in order of agency and year, checked against its previous year:
    the report, its findings' rows, its dataset row and its indicators.

    The first file (by path) of an agency-year counts; later ones are listed as duplicates. Only
    the last agency-year is held: the year before a report comes just before it in this order.
    """
    from . import dataset
    from .checks import Context, Finding, check_year_on_year, ordered
    from .indicators import measure_all
    from .report import Report

    rows = cache.db.execute(
        "SELECT f.path, f.sha256, r.agency, r.year FROM file f JOIN read r ON r.key = f.sha256"
        " WHERE r.failure IS NULL ORDER BY coalesce(r.agency, f.path), r.year, f.path"
    )
    last: _Year | None = None
    for file, sha, agency, year in rows:
        name = agency or file
        if last is not None and (last.name, last.year) == (name, year):
            pages.duplicates.append((file, last.file))
            print(f"注意\t{file}\t与 {last.file} 为同一机关同一年度，未计入", file=sys.stderr)
            continue
        stored = cache.data(sha)
        report = Report.from_json(stored["report"])
        findings = [Finding.from_json(f) for f in stored["findings"]]
        previous = (
            last
            if last is not None and year is not None and (last.name, last.year) == (name, year - 1)
            else None
        )
        if previous is not None:
            findings = ordered(findings + check_year_on_year(report, Context(previous=previous.report)))
        before = previous.report if previous else None
        measures = measure_all(report)
        row = dataset.row(report, file, sha, findings, measures, before, previous.file if previous else "")
        if args.tables:
            _place_workbook(cache, out, sha, agency or Path(file).stem, year)
        yield report, dataset.finding_rows(report, file, findings), row, measures
        last = _Year(name, year, file, report)


def _place_workbook(cache: Cache, out: Path, sha: str, agency: str, year: int | None) -> None:
    """The agency-year's official-layout workbook, written only when it is missing or holds another report."""
    path = out / "tables" / _safe(agency) / f"{year or '未识别年度'}.xlsx"
    written = cache.db.execute("SELECT sha256 FROM written WHERE path = ?", (str(path),)).fetchone()
    if written and written[0] == sha and path.exists():
        return
    _write_bytes(path, cache.workbook(sha))
    cache.put("written", str(path), sha)


def _write_manifest(cache: Cache, path: Path) -> None:
    """Each file's SHA-256, agency, year and failure, streamed from the cache."""
    rows = cache.db.execute(
        "SELECT f.path, f.sha256, r.agency, r.year, r.failure FROM file f JOIN read r ON r.key = f.sha256"
        " ORDER BY f.path"
    )
    with _replacing(path, "w", encoding="utf-8") as handle:
        handle.write(f'{{"gongkai": {json.dumps(__version__)}, "files": {{')
        for index, (file, sha, agency, year, failure) in enumerate(rows):
            entry = {"sha256": sha, "agency": agency, "year": year, "failure": json.loads(failure or "null")}
            handle.write(("," if index else "") + json.dumps(file, ensure_ascii=False) + ": ")
            handle.write(json.dumps(entry, ensure_ascii=False))
        handle.write("}}")


def _safe(name: str) -> str:
    """A folder name from an agency name: no separators or control characters, no leading dots."""
    return UNSAFE.sub("_", name).lstrip(". ")[:100] or "未识别机关"


def _write_bytes(path: Path, data: bytes) -> None:
    with _replacing(path, "wb") as handle:
        handle.write(data)


@contextmanager
def _replacing(path: Path, mode: str, **options: Any) -> Iterator[Any]:
    """Write whole or not at all: a run stopped midway leaves the previous file, not half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open(mode, **options) as handle:
        yield handle
    os.replace(partial, path)


# -- the dataset files, written as rows arrive --------------------------------------------------


class Sink:
    """dataset.csv, dataset.xlsx, dataset.parquet and findings.xlsx, one agency-year at a time.

    With `apart`, the two workbooks are written by a process of their own (`_BooksApart`): a run
    given several cores then does XlsxWriter's per-cell work beside the pairing and checking.
    """

    def __init__(self, out: Path, apart: bool = False) -> None:
        from . import dataset

        self.out = out
        partial = out / "dataset.csv.partial"
        self.csv_handle = partial.open("w", newline="", encoding="utf-8-sig")
        self.csv = csv.writer(self.csv_handle)
        self.csv.writerow(dataset.HEADER)
        self.books: _Books | _BooksApart = _BooksApart(out) if apart else _Books(out)
        self.parquet = _Parquet(out / "dataset.parquet.partial")

    def add(self, row: list[Any], findings: list[list[Any]]) -> None:
        from .writing.inert import inert_row

        self.csv.writerow(inert_row(row))
        self.books.add(row, findings)
        self.parquet.add(row)

    def close(self) -> None:
        self.csv_handle.close()
        os.replace(self.out / "dataset.csv.partial", self.out / "dataset.csv")
        self.books.close()
        if self.parquet.close():
            os.replace(self.out / "dataset.parquet.partial", self.out / "dataset.parquet")


class _Books:
    """dataset.xlsx (with a sheet saying what each column means) and findings.xlsx."""

    def __init__(self, out: Path) -> None:
        from . import dataset

        self.dataset = _Book(out / "dataset.xlsx", "数据", dataset.HEADER)
        self.findings = _Book(out / "findings.xlsx", "检查发现", dataset.FINDING_HEADER_ZH)

    def add(self, row: list[Any], findings: list[list[Any]]) -> None:
        self.dataset.add(row)
        for finding in findings:
            self.findings.add(finding)

    def close(self) -> None:
        from . import dataset

        self.dataset.close(("列说明", [("列", "含义"), *dataset.meanings()]))
        self.findings.close()


BOOK_BATCH = 64  # agency-years sent to the workbook process at a time


class _BooksApart:
    """`_Books` in a process of its own, fed through a pipe in batches of agency-years.

    The pipe's buffer bounds what is in flight: when the workbooks fall behind, sending waits.
    The process sends back why it stopped, if it failed.
    """

    def __init__(self, out: Path) -> None:
        from multiprocessing import get_context

        # typeshed's BaseContext lacks Process
        context: Any = get_context("spawn" if os.name == "nt" else "fork")
        self.pipe, theirs = context.Pipe()
        self.out = out
        # daemonic: should the main process stop midway, the workbook process goes with it
        self.process = context.Process(target=_write_books, args=(out, theirs), daemon=True)
        self.process.start()
        theirs.close()
        self.pending: list[tuple[list[Any], list[list[Any]]]] = []

    def add(self, row: list[Any], findings: list[list[Any]]) -> None:
        self.pending.append((row, findings))
        if len(self.pending) >= BOOK_BATCH:
            self._send(self.pending)
            self.pending = []

    def _send(self, message: object) -> None:
        try:
            self.pipe.send(message)
        except (BrokenPipeError, ConnectionResetError):
            self._stopped()  # the process ended early: say why

    def close(self) -> None:
        if self.pending:
            self._send(self.pending)
        self._send(None)
        self.process.join()
        if self.process.exitcode != 0:
            self._stopped()

    def _stopped(self) -> None:
        self.process.join()
        reason = self.pipe.recv() if self.pipe.poll() else f"exit status {self.process.exitcode}"
        raise SystemExit(reason)


def _write_books(out: Path, pipe: Any) -> None:
    """The workbook process: write what arrives until told to stop (None); on failure, send why."""
    try:
        books = _Books(out)
        while (batch := pipe.recv()) is not None:
            for row, findings in batch:
                books.add(row, findings)
        books.close()
    except SystemExit as exc:
        pipe.send(str(exc))
        raise
    except Exception as exc:  # whatever it was, the main process must say it
        pipe.send(f"错误\t{out}\t写入 dataset.xlsx 或 findings.xlsx 时出错（{type(exc).__name__}: {exc}）")
        raise SystemExit(1) from exc


class _Book:
    """One XLSX written row by row through XlsxWriter's constant-memory mode, text kept as text."""

    LAST_ROW = 1_048_575  # Excel's last row (from 0)

    def __init__(self, path: Path, sheet: str, header: Sequence[str]) -> None:
        from .writing.xlsx_sheet import TextBook

        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.book = TextBook(str(self.partial), {"constant_memory": True})
        self.sheet = self.book.add_worksheet(sheet)
        self.sheet.write_row(0, 0, header)
        self.rows = 1
        self.over = 0  # rows past Excel's limit: in the CSV and Parquet only, and said so

    def add(self, values: Sequence[Any]) -> None:
        if self.rows > self.LAST_ROW:
            self.over += 1
            return
        self.sheet.write_row(self.rows, 0, values)
        self.rows += 1

    def close(self, *sheets: tuple[str, list[Sequence[Any]]]) -> None:
        for name, rows in sheets:
            sheet = self.book.add_worksheet(name)
            for index, values in enumerate(rows):
                sheet.write_row(index, 0, values)
        from xlsxwriter.exceptions import XlsxWriterException

        try:
            self.book.close()
            os.replace(self.partial, self.path)
        except (OSError, XlsxWriterException) as exc:
            raise SystemExit(f"错误\t{self.path}\t无法写入（cannot write: {exc}）") from exc
        if self.over:
            print(
                f"注意\t{self.path}\t超出 Excel 的行数上限，另有 {self.over} 行只写入 CSV 和 Parquet",
                file=sys.stderr,
            )


@contextmanager
def _outputs(out: Path, apart: bool) -> Iterator[Sink]:
    sink = Sink(out, apart)
    yield sink
    sink.close()


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
