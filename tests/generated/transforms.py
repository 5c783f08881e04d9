"""What PDF converters, OCR/LLM transcriptions and crawlers do to a report's tables, one class each.

Every transformation takes the laid-out report and a seeded random source and changes
only the layout, never a value: the gold stays the report itself. Class 8 is the exception
by design: it prints negative numbers, and the gold holds them as printed.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from gongkai.formats import Kind
from gongkai.report import Report

from .layouts import Cell, Laid, Line, is_row, labels_of, values_of

Transform = Callable[[Laid, random.Random], str]


def _row_runs(lines: list[Line]) -> list[tuple[int, int]]:
    """Spans [a, b) of consecutive row lines."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, line in enumerate([*lines, []]):
        if line and is_row(line):
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    return runs


def rows_out_of_order(laid: Laid, rng: random.Random, rotate: bool | None = None) -> str:
    """Class 1: table 二's later sub-tables printed before the 规章 rows; rows of 三 swapped."""
    lines = laid.tables["proactive"]
    blocks: list[list[Line]] = []
    for line in lines:
        if not blocks or (line and line[0].text.startswith("第二十条")):
            blocks.append([])
        blocks[-1].append(line)
    if rotate if rotate is not None else rng.random() < 0.5:
        blocks = blocks[1:] + blocks[:1]
        laid.tables["proactive"] = [line for block in blocks for line in block]
    else:
        rows = [line for line in lines if is_row(line)]
        rng.shuffle(rows)
        laid.tables["proactive"] = [*(line for line in lines if not is_row(line)), *rows]
    requests = laid.tables["requests"]
    runs = _row_runs(requests)
    for _ in range(3):
        a, b = runs[rng.randrange(len(runs))]
        if b - a >= 2:
            i = rng.randrange(a, b - 1)
            requests[i], requests[i + 1] = requests[i + 1], requests[i]
    return laid.text()


def detached_labels(laid: Laid, rng: random.Random, style: str | None = None) -> str:
    """Class 2: labels apart from values: label block then value block, values on next lines, glued rows."""
    style = style or rng.choice(("blocks", "next-lines", "glued"))
    for key in ("proactive", "requests"):
        lines = laid.tables[key]
        out: list[Line] = []
        runs = _row_runs(lines)
        cursor = 0
        for a, b in runs:
            out += lines[cursor:a]
            rows = lines[a:b]
            if style == "blocks":
                out += [labels_of(line) for line in rows]
                out += [values_of(line) for line in rows]
            elif style == "next-lines":
                for line in rows:
                    out.append(labels_of(line))
                    out += [[cell] for cell in values_of(line)]
            else:
                i = 0
                while i < len(rows):
                    if i + 1 < len(rows) and rng.random() < 0.6:
                        out.append(labels_of(rows[i]) + values_of(rows[i]) + values_of(rows[i + 1]))
                        out.append(labels_of(rows[i + 1]))
                        i += 2
                    else:
                        out.append(rows[i])
                        i += 1
            cursor = b
        out += lines[cursor:]
        laid.tables[key] = out
    return laid.text()


def generic_headers(laid: Laid, rng: random.Random) -> str:
    """Class 3: header lines replaced by 数据1 … 数据N, repeated before each sub-table."""
    for key, lines in laid.tables.items():
        out: list[Line] = []
        width = 0
        for i, line in enumerate(lines):
            if is_row(line):
                out.append(line)
                continue
            following = next((x for x in lines[i + 1 :] if is_row(x)), None)
            width = len(values_of(following)) if following else width
            header = [Cell("项目" if key != "appeals" else "")] + [
                Cell(f"数据{n}") for n in range(1, min(width, 6 if key != "appeals" else 15) + 1)
            ]
            if key == "proactive" and line and line[0].text.startswith("第二十条"):
                out.append(line)  # the caption stays; its header below is replaced
            elif not out or is_row(out[-1]) or out[-1][0].text.startswith("第二十条"):
                out.append(header)
        laid.tables[key] = out
    return laid.text()


REQUEST_HEADER = ["项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
APPEAL_HEADER = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
APPEAL_CAPTIONS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")


def sub_tables(laid: Laid, rng: random.Random) -> str:
    """Class 4: tables 三 and 四 split into sub-tables, one per group of rows, each with its header."""
    lines = laid.tables["requests"]
    out = [line for line in lines if not is_row(line)]  # the official header, once
    since = 0
    for line in (line for line in lines if is_row(line)):
        if since >= rng.randint(4, 9):
            out.append([Cell("续表")] if rng.random() < 0.3 else [])
            out.append([Cell(text) for text in REQUEST_HEADER])
            since = 0
        out.append(line)
        since += 1
    laid.tables["requests"] = out
    refs = values_of(laid.tables["appeals"][-1])
    appeals: list[Line] = []
    for n, caption in enumerate(APPEAL_CAPTIONS):
        appeals.append([Cell(caption)])
        appeals.append([Cell(text) for text in APPEAL_HEADER])
        appeals.append(refs[n * 5 : n * 5 + 5])
    laid.tables["appeals"] = appeals
    return laid.text()


PAGE_MARKS = ("— {n} —", "-{n}-", "第{n}页", "- {n} -", "{n}")


def trailing_text(laid: Laid, rng: random.Random) -> str:
    """Class 5: table 四 ends without a part heading; page markers, dates and prose follow (and interrupt)."""
    n = rng.randint(1, 9)
    mark = rng.choice(PAGE_MARKS[:4])
    year = laid.report.year or 2024
    requests = laid.tables["requests"]
    cut = rng.randrange(len(requests) // 2, len(requests))
    requests.insert(cut, [Cell(mark.format(n=n))])
    tail = [
        rng.choice(PAGE_MARKS).format(n=n + 1),
        f"{year + 1}年1月{rng.randint(10, 28)}日",
        f"本机关{year}年度政府信息公开工作存在的主要问题是公开内容不够全面，{year + 1}年将加强培训3次。",
        "",
    ]
    rng.shuffle(tail)
    after = [line for line in laid.after if not line.startswith("五、")]
    laid.after = ["", *tail, *after]
    return laid.text()


def first_printed(values: Line, report: Report) -> bool:
    return bool(values[0].show(report))


def split_cells(laid: Laid, rng: random.Random) -> str:
    """Class 6: a table-二 cell with a note spread over two lines, or a value printed before its label."""
    lines = laid.tables["proactive"]
    out: list[Line] = []
    for line in lines:
        values = values_of(line)
        if not values:
            out.append(line)
            continue
        kinds = [laid.report.table("proactive").kinds[c.ref] for c in values if c.ref]
        choice = rng.random()
        if choice < 0.4 and kinds[0] is Kind.COUNT and first_printed(values, laid.report):
            first = values[0]
            note = rng.randint(0, 30)
            head = [*labels_of(line), Cell(f"{first.show(laid.report)}（其中修订"), *values[1:]]
            out.append(head)
            out.append([Cell(f"{note} 件）")])
        elif choice < 0.7 and len(values) == 1:
            out.append(values)
            out.append(labels_of(line))
        else:
            out.append(line)
    laid.tables["proactive"] = out
    return laid.text()


def run_on(laid: Laid, rng: random.Random, bare: bool = False) -> str:
    """Class 7: crawler text, rows run together; between cells a space or nothing (`bare`: nothing)."""
    text = laid.text()
    for key in ("requests", "appeals", "proactive"):
        lines = laid.tables[key]
        block = "\n".join("\t".join(c.show(laid.report) for c in line) for line in lines)
        pieces = block.replace("\n", "\t").split("\t")
        run = pieces[0] + "".join(("" if bare or rng.random() < 0.4 else " ") + piece for piece in pieces[1:])
        text = text.replace(block, run, 1)
    return text


def bare_run_on(laid: Laid, rng: random.Random) -> str:
    """Class 7, worst case: no separator left anywhere in the tables."""
    return run_on(laid, rng, bare=True)


def negative_values(report: Report, rng: random.Random) -> None:
    """Class 8 (on the gold itself): some count cells printed negative, the 2019 增/减 column signed."""
    for table in report.tables():
        for ref in table.cells():
            value = report.get(ref)
            if isinstance(value, int) and value and rng.random() < 0.05:
                report.set(ref, -value)
            elif table.kinds[ref] is Kind.SIGNED and isinstance(value, int) and rng.random() < 0.5:
                report.set(ref, -rng.randint(1, 40))


def damaged(laid: Laid, rng: random.Random) -> str:
    """Class 9: a cell lost from some rows, or the file cut off inside table 三 (a truncated download)."""
    if rng.random() < 0.5:
        for key in ("proactive", "requests"):
            lines = laid.tables[key]
            rows = [i for i, line in enumerate(lines) if len(values_of(line)) > 1]
            for i in rng.sample(rows, min(2, len(rows))):
                lost = rng.choice(values_of(lines[i]))
                kept = [cell for cell in lines[i] if cell is not lost]
                while kept and kept[-1].ref is None and not kept[-1].text:
                    kept.pop()  # the collapsed line keeps no padding after its last value
                lines[i] = kept
        return laid.text()
    text = laid.text()
    rows = [line for line in laid.tables["requests"] if is_row(line)]
    cut = "\t".join(c.show(laid.report) for c in rng.choice(rows))
    return text[: text.index(cut) + len(cut)] + "\n"


LAW = "本报告根据《中华人民共和国政府信息公开条例》（2019年修订）第五十条编制。"


def wrong_dates(laid: Laid, rng: random.Random, style: str | None = None) -> str:
    """Class 10: dates that are not the report's year near where the year is read.

    A publication date or a law's year on the title line, or a title without its year: then
    the statistics period, the signature's date (the year after) and dates in the prose.
    """
    report = laid.report
    year = report.year or 2024
    agency = report.agency or "某某区人民政府"
    day = f"{year + 1}年{rng.randint(1, 3)}月{rng.randint(10, 28)}日"
    style = style or rng.choice(("published", "law", "period", "signature"))
    before = laid.before[next(iter(laid.tables))]
    plain = f"{agency}政府信息公开工作年度报告"
    if style == "published":
        before[0] = f"{day}发布  {agency}{year}年政府信息公开工作年度报告"
    elif style == "law":
        before[0] = f"根据2019年修订的条例 {agency}{year}年政府信息公开工作年度报告"
    elif style == "period":
        before[0] = plain
        before[1:1] = [LAW + f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。", ""]
    else:
        before[0] = plain
        before[1:1] = [LAW, ""]
    laid.after += ["", f"{year + 1}年将继续加强培训。", "", agency, day]
    return laid.text()


def as_printed(laid: Laid, rng: random.Random) -> str:
    return laid.text(markdown=rng.random() < 0.5)


TRANSFORMS: dict[str, Transform] = {
    "1-order": rows_out_of_order,
    "2-detached": detached_labels,
    "3-generic-headers": generic_headers,
    "4-sub-tables": sub_tables,
    "5-trailing": trailing_text,
    "6-split-cells": split_cells,
    "7-run-on": run_on,
    "7b-run-on-bare": bare_run_on,
    "8-negative": as_printed,
    "9-damaged": damaged,
    "10-wrong-date": wrong_dates,
}


def bad_encoding(text: str, rng: random.Random) -> bytes:
    """Class 15: UTF-16 without a byte-order mark, or UTF-8 with one byte damaged in the prose."""
    choice = rng.choice(("utf-16-le", "utf-16-be", "bad-byte"))
    if choice != "bad-byte":
        return text.encode(choice)
    data = bytearray(text.encode("utf-8"))
    prose = text.index("一、")
    tables = text.index("二、主动公开政府信息情况")
    at = len(text[: rng.randrange(prose, tables)].encode("utf-8"))
    data[at] = 0xFF
    return bytes(data)


ENCODINGS: dict[str, Callable[[str, random.Random], bytes]] = {"15-encoding": bad_encoding}
