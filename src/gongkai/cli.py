"""The `gongkai` command line: a thin shell over the core; no logic of its own."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .batch import (
    NO_TABLE_EN,
    NO_TABLE_ZH,
    Failure,
    Result,
    Success,
    discover,
    extract_many,
    extract_one,
    table_read,
)
from .report import TABLE_KEYS, Report
from .writing.inert import inert_row

# The same numbers as `gongkai check` where they mean the same thing (3: read, but no table value).
EXIT_OK, EXIT_FAILED, EXIT_NO_TABLE = 0, 1, 3
EXTRACT_EPILOG = """退出状态 (exit status):
  0  全部读取成功 (every file read)
  1  有文件无法读取 (a file could not be read)
  3  有文件读出但没有任何表格数值 (a file was read but no table value could be read)"""


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
    from . import batch_cli, check_cli
    from .web import cli as web_cli

    extract = sub.add_parser(
        "extract",
        help="把已发布的年度报告读成数据 (read published reports into data)",
        epilog=EXTRACT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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

    render = sub.add_parser("render", help="按国家格式生成报告文件 (write a report in the official layout)")
    render.add_argument(
        "source", metavar="REPORT.json|FILE", help="canonical report JSON, or any report file"
    )
    render.add_argument("--to", required=True, help="docx, xlsx, html, md, txt, pdf or json")
    render.add_argument(
        "-o", "--output", metavar="OUT", help="output file (default: next to the source; - for stdout)"
    )
    render.set_defaults(run=run_render)

    check_cli.add_parser(sub)
    batch_cli.add_parser(sub)
    web_cli.add_parsers(sub)
    return parser


def run_extract(args: argparse.Namespace) -> int:
    paths = list(discover(args.paths))
    out_dir = Path(args.output) if args.output else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    show = args.progress if args.progress is not None else (len(paths) > 1 and sys.stderr.isatty())
    failed = no_table = 0
    writer = csv.writer(sys.stdout) if args.shape == "csv" and not out_dir else None
    if writer:
        writer.writerow(CSV_HEADER)
    results: Iterable[Result] = extract_many(paths, max(1, args.jobs or os.cpu_count() or 1))
    if show:
        from tqdm import tqdm  # imported only when shown: it costs a batch run 30 ms of start-up

        results = tqdm(results, total=len(paths), unit="份", file=sys.stderr)
    single = len(paths) == 1
    for result in results:
        if isinstance(result, Failure):
            failed += 1
            print(f"错误\t{result.path}\t{result.zh}（{result.en}）", file=sys.stderr)
            continue
        assert isinstance(result, Success)
        if not table_read(result.report[key] for key in TABLE_KEYS):
            no_table += 1
            print(f"错误\t{result.path}\t{NO_TABLE_ZH}（{NO_TABLE_EN}）", file=sys.stderr)
        emit(result, args.shape, out_dir, writer, single)
    if len(paths) > 1 or failed or no_table:
        read = len(paths) - failed - no_table
        print(
            f"共 {len(paths)} 份，成功 {read} 份，失败 {failed} 份，未读出表格 {no_table} 份", file=sys.stderr
        )
    if failed or not paths:
        return EXIT_FAILED
    return EXIT_NO_TABLE if no_table else EXIT_OK


def load_report(source: str) -> Report:
    """A canonical report JSON file as is; any other file through the reader."""
    path = Path(source)
    if path.suffix.lower() == ".json":
        try:
            return Report.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ReportInputError(
                f"不是有效的报告 JSON：{exc}", f"not a valid gongkai.report/1 JSON file: {exc}"
            ) from exc
    result = extract_one(path)
    if isinstance(result, Failure):
        raise ReportInputError(result.zh, result.en)
    return Report.from_json(result.report)


class ReportInputError(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def run_render(args: argparse.Namespace) -> int:
    from .writing import WriteError, writer_for

    try:
        writer = writer_for(args.to)
        report = load_report(args.source)
        data = writer.write(report)
    except (ReportInputError, WriteError) as exc:
        print(f"错误\t{args.source}\t{exc.zh}（{exc.en}）", file=sys.stderr)
        return EXIT_FAILED
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    target = Path(args.output) if args.output else Path(args.source).with_suffix(writer.suffix)
    if target.resolve() == Path(args.source).resolve():
        target = target.with_name(target.stem + ".rendered" + writer.suffix)
    target.write_bytes(data)
    print(f"已生成 {target}", file=sys.stderr)
    return EXIT_OK


CSV_HEADER = ("file", "agency", "year", "format", "table", "row", "column", "value")


def csv_rows(path: str, data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """One row per cell; text from the document or its file name never becomes a formula."""
    return [
        inert_row((path, data["agency"], data["year"], data["format"], table, row, column, value))
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
            (out_dir / f"{stem}.json").write_bytes(json_bytes(data, indent=True))
        else:
            (out_dir / f"{stem}.txt").write_text(table_text(Report.from_json(data)), encoding="utf-8")
        return
    if shape == "csv":
        writer.writerows(csv_rows(result.path, data))
    elif shape == "json":
        sys.stdout.write(json_bytes(data, indent=single).decode("utf-8"))
    else:
        write_table(Report.from_json(data), sys.stdout)


def json_bytes(data: dict[str, Any], indent: bool) -> bytes:
    """UTF-8 JSON and a newline, by orjson: the standard library drops to its pure-Python encoder
    whenever it indents, which took a third of `extract --json -o` (docs/benchmarks.md). orjson
    refuses integers beyond 64 bits (a misprinted count can be one): those reports go through the
    standard library, in the same layout."""
    import orjson

    try:
        return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if indent else 0))
    except TypeError:
        text = json.dumps(
            data, ensure_ascii=False, indent=2 if indent else None, separators=(",", ": " if indent else ":")
        )
        return (text + "\n").encode("utf-8")


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
