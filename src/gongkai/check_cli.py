"""`gongkai check FILE_OR_DIR... [--previous FILE] [--format text|json|html]`: a thin shell over `checks`.

Exit status: 0 no errors, 1 errors found, 2 a file could not be read. Last year's report
is `--previous`, or else found among the files checked and their directory by agency and
year, because the reviewer checking a folder of reports should not have to pair them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .batch import Failure, discover, read_one
from .checks import Context, check, errors, render
from .checks.history import is_previous
from .reading.document import Document
from .report import Report

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
SUFFIX = {"text": ".check.txt", "json": ".check.json", "html": ".check.html"}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `check` subcommand on the `gongkai` parser's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check", help="按国家格式和勾稽关系检查年度报告 (check reports like the strictest reviewer)"
    )
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
    parser.add_argument("--previous", metavar="FILE", help="上年度报告（默认在同一目录中按机关和年度查找）")
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

    def get(self, path: Path) -> Report | None:
        result = self.read(path)
        return None if isinstance(result, Failure) else result[0]

    def previous_of(self, report: Report, path: Path) -> Report | None:
        known = [r[0] for r in self.results.values() if not isinstance(r, Failure)]
        for candidate in (*known, *self._siblings(path)):
            if candidate is not None and is_previous(candidate, report):
                return candidate
        return None

    def _siblings(self, path: Path) -> Iterable[Report | None]:
        for sibling in discover([path.parent]):
            if sibling != path and sibling not in self.results:
                yield self.get(sibling)


def run_check(args: argparse.Namespace) -> int:
    library = Library()
    previous: Report | None = None
    if args.previous:
        read = library.read(Path(args.previous))
        if isinstance(read, Failure):
            print(f"错误\t{read.path}\t{read.zh}（{read.en}）", file=sys.stderr)
            return EXIT_UNREADABLE
        previous = read[0]
    out_dir = Path(args.output) if args.output else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    paths = list(discover(args.paths))
    if args.output_format == "html" and len(paths) > 1 and not out_dir:
        print("多份报告输出 HTML 时请用 -o DIR 指定目录", file=sys.stderr)
        return EXIT_UNREADABLE
    unreadable = found_errors = False
    outputs: list[dict[str, Any]] = []
    for path in paths:
        result = library.read(path)
        if isinstance(result, Failure):
            unreadable = True
            print(f"错误\t{result.path}\t{result.zh}（{result.en}）", file=sys.stderr)
            continue
        report, document = result
        last = previous or library.previous_of(report, path)
        if previous is not None and not is_previous(previous, report):
            print(f"注意\t{path}\t--previous 指定的报告不是同一机关的上一年度报告", file=sys.stderr)
        findings = check(report, Context(previous=last, text=document.text()))
        found_errors = found_errors or bool(errors(findings))
        shown = emit(report, findings, str(path), args.output_format, out_dir)
        if shown is not None:
            outputs.append(shown)
    if outputs:
        print(json.dumps(outputs[0] if len(outputs) == 1 else outputs, ensure_ascii=False, indent=2))
    if unreadable or not paths:
        return EXIT_UNREADABLE
    return EXIT_ERRORS if found_errors else EXIT_OK


def emit(
    report: Report, findings: list[Any], path: str, shape: str, out_dir: Path | None
) -> dict[str, Any] | None:
    """Write or print one report's findings; JSON to stdout is returned to be printed as one document."""
    if shape == "json":
        data = render.to_json(report, findings, path)
        if out_dir is None:
            return data
        body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        body = render.html(report, findings, path) if shape == "html" else render.text(report, findings, path)
    if out_dir is None:
        sys.stdout.write(body)
    else:
        (out_dir / (Path(path).name + SUFFIX[shape])).write_text(body, encoding="utf-8")
    return None
