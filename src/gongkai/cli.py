"""The `gongkai` command line: a thin shell over the core; no logic of its own."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .batch import Failure, Success, discover, extract_many
from .report import TABLE_KEYS, Report

EXIT_OK, EXIT_FAILED = 0, 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_OK
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开工作年度报告：读取、检查、生成")
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    sub = parser.add_subparsers(metavar="COMMAND")

    extract = sub.add_parser("extract", help="把已发布的年度报告读成数据 (read published reports into data)")
    extract.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    shape = extract.add_mutually_exclusive_group()
    shape.add_argument(
        "--json", dest="shape", action="store_const", const="json", help="canonical report JSON"
    )
    shape.add_argument("--csv", dest="shape", action="store_const", const="csv", help="one row per cell")
    shape.add_argument("--table", dest="shape", action="store_const", const="table", help="tables as text")
    extract.add_argument("-o", "--output", metavar="DIR", help="write one file per report into DIR")
    extract.add_argument(
        "--jobs", "-j", type=int, default=1, metavar="N", help="worker processes (default 1)"
    )
    extract.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    extract.set_defaults(run=run_extract, shape="table")
    return parser


def run_extract(args: argparse.Namespace) -> int:
    paths = list(discover(args.paths))
    out_dir = Path(args.output) if args.output else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    show = args.progress if args.progress is not None else (len(paths) > 1 and sys.stderr.isatty())
    failed = 0
    writer = csv.writer(sys.stdout) if args.shape == "csv" and not out_dir else None
    if writer:
        writer.writerow(CSV_HEADER)
    results = extract_many(paths, max(1, args.jobs or os.cpu_count() or 1))
    from tqdm import tqdm

    single = len(paths) == 1
    for result in tqdm(results, total=len(paths), disable=not show, unit="份", file=sys.stderr):
        if isinstance(result, Failure):
            failed += 1
            print(f"错误\t{result.path}\t{result.zh}（{result.en}）", file=sys.stderr)
            continue
        assert isinstance(result, Success)
        emit(result, args.shape, out_dir, writer, single)
    if len(paths) > 1 or failed:
        print(f"共 {len(paths)} 份，成功 {len(paths) - failed} 份，失败 {failed} 份", file=sys.stderr)
    return EXIT_FAILED if failed or not paths else EXIT_OK


CSV_HEADER = ("file", "agency", "year", "format", "table", "row", "column", "value")


def csv_rows(path: str, data: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (path, data["agency"], data["year"], data["format"], table, row, column, value)
        for table in TABLE_KEYS
        for row, columns in data[table].items()
        for column, value in columns.items()
    ]


def emit(result: Success, shape: str, out_dir: Path | None, writer: Any, single: bool) -> None:
    data = result.report
    if out_dir:
        stem = Path(result.path).name
        if shape == "csv":
            with open(out_dir / f"{stem}.csv", "w", newline="", encoding="utf-8") as handle:
                file_writer = csv.writer(handle)
                file_writer.writerow(CSV_HEADER)
                file_writer.writerows(csv_rows(result.path, data))
        elif shape == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2)
            (out_dir / f"{stem}.json").write_text(text + "\n", encoding="utf-8")
        else:
            (out_dir / f"{stem}.txt").write_text(table_text(Report.from_json(data)), encoding="utf-8")
        return
    if shape == "csv":
        writer.writerows(csv_rows(result.path, data))
    elif shape == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2 if single else None))
    else:
        write_table(Report.from_json(data), sys.stdout)


def table_text(report: Report) -> str:
    from io import StringIO

    buffer = StringIO()
    write_table(report, buffer)
    return buffer.getvalue()


def write_table(report: Report, out: TextIO) -> None:
    """The three tables as aligned text, for a person at a terminal."""
    fmt = report.format + (f"（表二 {report.proactive_format}）" if report.proactive_format else "")
    out.write(f"== {report.agency or '（未识别机关）'} {report.year or '（未识别年度）'}年  格式 {fmt}\n")
    out.write(f"   {report.source}\n")
    for table in report.tables():
        out.write(f"\n表{table.number} {table.title}\n")
        grid = report.grid(table.key)
        for row in table.rows:
            label = f"{row.group}{row.label}" if row.group else row.label
            values = "  ".join(
                f"{c.label}={'' if grid[row.key][c.key] is None else grid[row.key][c.key]}"
                for c in table.columns_of(row)
            )
            out.write(f"  {label[:24]:<24} {values}\n")
    for note in report.notes:
        if note.code != "label-variant":
            out.write(f"  ! {note.message_zh}\n")
    out.write("\n")


if __name__ == "__main__":
    raise SystemExit(main())
