"""`gongkai check FILE_OR_DIR... [--previous FILE | --no-previous] [--format text|json|html]`.

A thin shell over `checks`. Last year's report is `--previous`, none with `--no-previous`, or
else looked for cheaply, because the reviewer checking a folder of reports should not have to
pair them, and a huge or hostile neighbour must not take the check down: first among the files
checked in this run, then among the files beside this one whose name carries last year, then
those whose first few KB (text and HTML only) title them as the same agency's report for last
year. Only those candidates are read in full (within the readers' caps); the output names the
file used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch import NO_TABLE_EN, NO_TABLE_ZH, Failure, discover, read_one, report_like, table_read
from .report import TABLE_KEYS, Report

if TYPE_CHECKING:
    from .reading.document import Document

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_NO_TABLE = 0, 1, 2, 3
EPILOG = """退出状态 (exit status)，多份报告时取最严重的一项 (the worst of all files):
  2  有文件无法读取 (a file could not be read)
  3  有文件读出但没有任何表格数值 (a file was read but no table value could be read)
  1  发现错误 (errors found)
  0  没有错误 (no errors)"""
SUFFIX = {"text": ".check.txt", "json": ".check.json", "html": ".check.html"}
TITLE_BYTES = 16 * 1024  # the head of a neighbour read for its title
MAX_TITLE_PEEKS = 200  # neighbours not named for last year whose head is read, at most, per report
TAG = re.compile(r"<[^>]*>")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `check` subcommand on the `gongkai` parser's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check",
        help="按国家格式和勾稽关系检查年度报告 (check reports like the strictest reviewer)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    previous = parser.add_mutually_exclusive_group()
    previous.add_argument(
        "--previous", metavar="FILE", help="上年度报告（默认在同一目录中按文件名和标题查找）"
    )
    previous.add_argument(
        "--no-previous", action="store_true", help="不与上年度报告比对 (do not look for last year's report)"
    )
    parser.add_argument("--format", choices=("text", "json", "html"), default="text", dest="output_format")
    parser.add_argument("-o", "--output", metavar="DIR", help="每份报告写一个文件到 DIR")
    parser.set_defaults(run=run_check)
    return parser


class Library:
    """Files read so far, by path, so a file is read once even when it is also someone's last year."""

    def __init__(self) -> None:
        self.results: dict[Path, tuple[Report, Document] | Failure] = {}

    def read(self, path: Path) -> tuple[Report, Document] | Failure:
        if path not in self.results:
            self.results[path] = read_one(path)
        return self.results[path]

    def previous_of(self, report: Report, path: Path) -> tuple[Report, Path] | None:
        """Last year's report and its file: one already read, else a candidate beside `path`."""
        from .checks.history import is_previous

        if report.year is None or not report.agency:
            return None
        for known, result in list(self.results.items()):
            if not isinstance(result, Failure) and is_previous(result[0], report):
                return result[0], known
        for candidate in candidates(path, report):
            result = self.read(candidate)
            if not isinstance(result, Failure) and is_previous(result[0], report):
                return result[0], candidate
        return None


def candidates(path: Path, report: Report) -> Iterator[Path]:
    """Files beside `path` that may be last year's, most likely first; none of them is read in full here.

    Text and HTML files are judged by the title in their first `TITLE_BYTES`: one titled as the
    same agency's report for last year comes first, one titled otherwise is never a candidate.
    A file without a readable title (PDF, DOCX, ...) is one when its name carries last year.
    """
    assert report.year is not None
    year = str(report.year - 1)
    wanted = (report.agency, report.year - 1)
    try:
        siblings = sorted(
            p for p in path.parent.iterdir() if p != path and report_like(p.name) and p.is_file()
        )
    except OSError:
        return
    untitled: list[Path] = []
    for sibling in siblings:
        if year in sibling.name:
            title = title_of(sibling)
            if title == wanted:
                yield sibling
            elif None in title:
                untitled.append(sibling)
    others = [p for p in siblings if year not in p.name]
    yield from (p for p in others[:MAX_TITLE_PEEKS] if title_of(p) == wanted)
    yield from untitled


def title_of(path: Path) -> tuple[str | None, int | None]:
    """Agency and year from the first `TITLE_BYTES` of a text or HTML file; (None, None) for others."""
    from .extraction.meta import find_title
    from .reading import ReadError, sniff
    from .reading.text import decode

    try:
        with path.open("rb") as handle:
            head = handle.read(TITLE_BYTES)
        kind = sniff(head)
        if kind not in ("text", "html"):
            return None, None
        text = decode(head, str(path)).text
    except (OSError, ReadError):
        return None, None
    return find_title(TAG.sub("\n", text) if kind == "html" else text)


def run_check(args: argparse.Namespace) -> int:
    # Imported when `check` runs, not when the parser is built: `extract` need not load the checks.
    from .checks import Context, check, errors
    from .checks.history import is_previous

    library = Library()
    previous: tuple[Report, Path] | None = None
    if args.previous:
        read = library.read(Path(args.previous))
        if isinstance(read, Failure):
            print(f"错误\t{read.path}\t{read.zh}（{read.en}）", file=sys.stderr)
            return EXIT_UNREADABLE
        previous = read[0], Path(args.previous)
    out_dir = Path(args.output) if args.output else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    paths = list(discover(args.paths))
    if args.output_format == "html" and len(paths) > 1 and not out_dir:
        print("多份报告输出 HTML 时请用 -o DIR 指定目录", file=sys.stderr)
        return EXIT_UNREADABLE
    unreadable = no_table = found_errors = False
    outputs: list[dict[str, Any]] = []
    for path in paths:
        result = library.read(path)
        if isinstance(result, Failure):
            unreadable = True
            print(f"错误\t{result.path}\t{result.zh}（{result.en}）", file=sys.stderr)
            continue
        report, document = result
        if not table_read(report.grid(key) for key in TABLE_KEYS):
            no_table = True
            print(f"错误\t{path}\t{NO_TABLE_ZH}（{NO_TABLE_EN}）", file=sys.stderr)
            continue
        last = None if args.no_previous else previous or library.previous_of(report, path)
        if previous is not None and not is_previous(previous[0], report):
            print(f"注意\t{path}\t--previous 指定的报告不是同一机关的上一年度报告", file=sys.stderr)
        context = Context(previous=last[0] if last else None, text=document.text())
        findings = check(report, context)
        found_errors = found_errors or bool(errors(findings))
        shown = emit(report, findings, str(path), args.output_format, out_dir, last[1] if last else None)
        if shown is not None:
            outputs.append(shown)
    if outputs:
        print(json.dumps(outputs[0] if len(outputs) == 1 else outputs, ensure_ascii=False, indent=2))
    if unreadable or not paths:
        return EXIT_UNREADABLE
    if no_table:
        return EXIT_NO_TABLE
    return EXIT_ERRORS if found_errors else EXIT_OK


def emit(
    report: Report,
    findings: list[Any],
    path: str,
    shape: str,
    out_dir: Path | None,
    previous: Path | None,
) -> dict[str, Any] | None:
    """Write or print one report's findings; JSON to stdout is returned to be printed as one document."""
    from .checks import render

    if shape == "json":
        data = render.to_json(report, findings, path)
        data["previous"] = str(previous) if previous else None
        if out_dir is None:
            return data
        body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    elif shape == "html":
        body = render.html(report, findings, path)  # the page is the checks' own: say it beside it
        print(f"上年度报告\t{path}\t{previous or '无（未找到或未指定）'}", file=sys.stderr)
    else:
        used = str(previous) if previous else "无（未找到或未指定）"
        body = render.text(report, findings, path) + f"上年度报告：{used}\n"
    if out_dir is None:
        sys.stdout.write(body)
    else:
        (out_dir / (Path(path).name + SUFFIX[shape])).write_text(body, encoding="utf-8")
    return None
