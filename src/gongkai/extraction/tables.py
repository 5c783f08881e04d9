"""Read one table's cells from its region of the stream, driven by the format declaration.

Every row label is found wherever it is printed in the table's region, so a row's values
are the tokens between its label and the next label in the document, whatever the layout:
tabs, one cell per line, a PDF line of words, or crawler text with no separators at all.
Where converters detached labels from values, the values are dealt to the rows for the
whole table (`assign`). Table 四 has no row labels; its values are read as one run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..formats import CellRef, Identity, Kind, Row, Table
from ..report import Grid, Note, Value, empty_grid
from .solve import (
    MAX_EXAMINED,
    Owners,
    TooAmbiguous,
    Vector,
    confirmed,
    consistent,
    gap_candidates,
    settle,
    split_candidates,
)
from .stream import CELL_SEP, FOLD, LabelMatcher, Stream, compact, label_pattern
from .tokens import Token, tokens_between, until_prose

Stated = Callable[[], Mapping[CellRef, int]]  # the prose's counts for named cells, found when asked


COUNT = Kind.COUNT  # looked up once: an enum member costs an attribute lookup each time


def _nothing_stated() -> Mapping[CellRef, int]:
    return {}


@dataclass
class TableRead:
    grid: Grid
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    rows_found: int = 0


def printed(stream: Stream, start: int, end: int) -> str:
    return stream.text[start:end].replace(CELL_SEP, "").replace("\n", "").strip()


def find_labels(stream: Stream, table: Table, start: int, end: int) -> list[tuple[str, int, int]]:
    """Each row's label, wherever it is printed in the region, in document order.

    Rows are searched in declared order first (which keeps a short label such as "其他"
    from matching inside a longer text that precedes it); a row not found after the
    previous one is searched again from the region's start, outside labels already taken,
    since converters print rows out of the template's order. A short label is then taken
    only with its ordinal ("3.其他", "（七）总计"): "其他" alone would match column headers.
    """
    text = stream.text
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, int, int]] = []
    cursor = start
    for row in table.rows:
        matcher = label_pattern(row.labels)
        match = matcher.search(text, cursor, end)  # past every label taken: free by construction
        if match is None:
            short = min(len(_body(label)) for label in row.labels) < MIN_ANYWHERE
            match = _search_free(matcher, text, start, end, taken, with_ordinal=short)
        if match is None:
            match = _wrapped(table, row, text, start, end, taken)
        if match:
            found.append((row.key, *match))
            taken.append(match)
            cursor = max(cursor, match[1])
    return sorted(found, key=lambda f: f[1])


MIN_PREFIX = 6


def _wrapped(
    table: Table, row: Row, text: str, start: int, end: int, taken: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """A long label a PDF converter broke around the row's values ("5.要求行政机关确认或重新出" /
    "0 0 1" / "具已获取信息"): the longest printed beginning that no other label contains."""
    others = [compact(label) for other in table.rows if other is not row for label in other.labels]
    others += [compact(label) for label in table.header_labels]
    for label in row.labels:
        full = compact(label)
        ordinal = len(full) - len(_body(label))
        for size in range(len(full) - 1, ordinal + MIN_PREFIX - 1, -1):
            prefix = full[:size]
            if any(prefix[ordinal:] in other for other in others):
                break
            match = _search_free(label_pattern((prefix,)), text, start, end, taken)
            if match:
                return match
    return None


MIN_ANYWHERE = 3
MAX_PADDING = 2  # empty cells a merged label cell may leave before a row's values
_ORDINAL_HEAD = re.compile(r"^[一二三四五六七八九十\d]+")


def _body(label: str) -> str:
    return _ORDINAL_HEAD.sub("", compact(label))


def _search_free(
    matcher: LabelMatcher,
    text: str,
    pos: int,
    end: int,
    taken: list[tuple[int, int]],
    with_ordinal: bool = False,
) -> tuple[int, int] | None:
    """The first match outside `taken`; with `with_ordinal`, only one printed with its ordinal."""
    while True:
        match = matcher.search(text, pos, end)
        if match is None:
            return None
        free = all(match[1] <= a or match[0] >= b for a, b in taken)
        if free and (not with_ordinal or _ORDINAL_HEAD.match(compact(text[match[0] : match[1]]))):
            return match
        pos = match[1]


def read_labelled(
    stream: Stream, table: Table, start: int, end: int, stated: Stated = _nothing_stated
) -> TableRead:
    """Table 二 or 三: rows introduced by their labels, values assigned for the whole table.

    `stated` gives the counts the prose states for named cells (`narrative.stated_cells`),
    asked for only when the table alone leaves readings of run-together digits open.
    """
    found = find_labels(stream, table, start, end)
    result = TableRead(empty_grid(table), rows_found=len(found))
    row_refs = table.row_refs
    segments: list[list[Token]] = []
    for index, (row_key, label_start, label_end) in enumerate(found):
        seg_end = found[index + 1][1] if index + 1 < len(found) else end
        tokens = tokens_between(stream, label_end, seg_end)
        segments.append(until_prose(stream, tokens, seg_end) if index + 1 == len(found) else tokens)
        row = table.row(row_key)
        label = printed(stream, label_start, label_end)
        result.labels[f"{table.key}.{row_key}"] = label
        if compact(label) != compact(row.label):
            result.notes.append(
                Note(
                    "label-variant",
                    f"{table.row_zh(row_key)}的标签印为“{label}”，与国家格式不同（应为“{row.label}”）",
                    f'row label printed as "{label}", the national format says "{row.label}"',
                    f"{table.key}.{row_key}",
                    stream.loc_json(label_start),
                )
            )
    before = tokens_between(stream, start, found[0][1]) if found else []
    sizes = [len(row_refs[key]) for key, _, _ in found]
    refs_in_order = [row_refs[key] for key, _, _ in found]

    def plausible(index: int, tokens: list[Token]) -> bool | None:
        return _plausible(table, refs_in_order[index], tokens)

    assigned, moved = assign(before, segments, sizes, plausible)
    groups = [(row_refs[key], tokens) for (key, _, _), tokens in zip(found, assigned, strict=True)]
    missing = {r.key for r in table.rows} - {key for key, _, _ in found}
    for row in table.rows:
        if row.key in missing:
            result.notes.append(
                Note(
                    "missing-row",
                    f"{table.row_zh(row.key)}在文件中未找到，其数值记为空",
                    f"row {row.key} of table {table.number} is not in the document; its cells are null",
                    f"{table.key}.{row.key}",
                )
            )
    _record_column_labels(stream, table, start, end, result)
    _fill(stream, table, groups, result, stated)
    for (key, _, _), tokens in zip(found, assigned, strict=True) if moved else ():
        for ref, token in zip(row_refs[key], tokens, strict=False):
            entry = result.provenance.get(str(ref))
            if token in moved and entry is not None and "how" not in entry:
                result.provenance[str(ref)] = {**entry, "how": "detached"}
    return result


def _fits(tokens: list[Token], size: int) -> bool:
    """The row's own values: exactly its cells, or digits run together that may split into them."""
    tokens = _trim(tokens, size)
    if len(tokens) == size:
        return True
    return (
        0 < len(tokens) < size
        and all(t.digits and t.soft for t in tokens)
        and sum(len(t.raw) for t in tokens) >= size
    )


def _plausible(table: Table, refs: tuple[CellRef, ...], tokens: list[Token]) -> bool | None:
    """Whether values dealt to a row keep the row's own identities (its 总计); None if unchecked."""
    local = table.identities_within(refs)
    if not local or not all(t.raw.lstrip("-").isdecimal() for t in tokens):
        return None
    return consistent(refs, tuple(int(t.raw) for t in tokens), local)


MAX_BROKEN = 0.25  # share of dealt rows whose 总计 may break (the agency's errors) before a deal is refused


def _believable(verdicts: list[bool | None]) -> bool:
    """A deal that breaks most rows' totals is a shifted misreading; a few broken ones are printed errors."""
    checked = [v for v in verdicts if v is not None]
    return not checked or checked.count(False) <= MAX_BROKEN * len(checked)


def assign(
    before: list[Token],
    segments: list[list[Token]],
    sizes: list[int],
    plausible: Callable[[int, list[Token]], bool | None],
) -> tuple[list[list[Token]], set[Token]]:
    """Which printed values belong to which row, for the whole table at once.

    Each row first takes the values printed after its label. Where that fails, converters
    have detached labels from values (a label block then a value block, values pushed
    before their label, a row's values glued onto the row above): then the values of the
    table, or of each stretch of rows that do not fit, are dealt out to the rows in
    document order by the rows' sizes, when their count is exactly the cells to fill and
    the rows so dealt keep their own identities (`plausible`, `_believable`): a deal that
    breaks most rows' 总计 is a shifted misreading, not the agency's error, and is not taken.
    Returns each row's tokens and the tokens so moved away from their own label.
    """
    fits = [_fits(tokens, size) for tokens, size in zip(segments, sizes, strict=True)]
    if all(fits):
        return segments, set()
    values = [t for t in before + [t for seg in segments for t in seg] if not t.empty]
    if len(values) == sum(sizes) and _detached(segments, sizes):
        dealt, away = _deal(values, sizes, segments)
        if _believable([plausible(i, tokens) for i, tokens in enumerate(dealt)]):
            return dealt, away
    stretches: list[tuple[int, int]] = []  # maximal runs of rows that do not fit
    for i, fit in enumerate(fits):
        if not fit:
            if stretches and stretches[-1][1] == i:
                stretches[-1] = (stretches[-1][0], i + 1)
            else:
                stretches.append((i, i + 1))
    assigned = list(segments)
    moved: set[Token] = set()
    first = 0
    while first < len(stretches):
        # A stretch alone, then joined with the next ones and the fitting rows between them
        # (a value pushed before its label makes the row above too long, the row below too short).
        # A stretch whose first rows print nothing may start with rows left blank as printed
        # ("规章" with empty cells, whose line holds no number): then it is dealt from its
        # first row that prints a value, if the whole stretch cannot be.
        for last in range(first, len(stretches)):
            b = stretches[last][1]
            dealt_here = None
            for a in dict.fromkeys((stretches[first][0], _first_printing(segments, stretches[first][0], b))):
                pool = [t for seg in segments[a:b] for t in seg]
                if a == 0:
                    pool = before + pool
                dealt_here = _try_deal(pool, sizes[a:b], segments[a:b], partial(_shifted, plausible, a))
                if dealt_here is not None:
                    assigned[a:b], away = dealt_here
                    moved |= away
                    break
            if dealt_here is not None:
                first = last + 1
                break
        else:
            first += 1
    return assigned, moved


def _first_printing(segments: list[list[Token]], a: int, b: int) -> int:
    """The first row in [a, b) that prints a value (a when none does)."""
    return next((i for i in range(a, b) if any(not t.empty for t in segments[i])), a)


def _detached(segments: list[list[Token]], sizes: list[int]) -> bool:
    """Rows short of values printed none at all: their label stands apart from its values.

    A row that prints some of its values but not all lost a cell; dealing would shift the
    next rows' values into it.
    """
    return all(
        not any(not t.empty for t in seg) or sum(not t.empty for t in seg) >= size
        for seg, size in zip(segments, sizes, strict=True)
    )


def _shifted(
    plausible: Callable[[int, list[Token]], bool | None], offset: int, index: int, tokens: list[Token]
) -> bool | None:
    return plausible(offset + index, tokens)


def _try_deal(
    pool: list[Token],
    sizes: list[int],
    segments: list[list[Token]],
    plausible: Callable[[int, list[Token]], bool | None],
) -> tuple[list[list[Token]], set[Token]] | None:
    if not _detached(segments, sizes):
        return None
    for candidate in (pool, [t for t in pool if not t.empty]):
        if len(candidate) == sum(sizes):
            dealt, away = _deal(candidate, sizes, segments)
            if _believable([plausible(i, tokens) for i, tokens in enumerate(dealt)]):
                return dealt, away
    return None


def _deal(
    values: list[Token], sizes: list[int], segments: list[list[Token]]
) -> tuple[list[list[Token]], set[Token]]:
    dealt: list[list[Token]] = []
    moved: set[Token] = set()
    cursor = 0
    for size, own in zip(sizes, segments, strict=True):
        chunk = values[cursor : cursor + size]
        cursor += size
        dealt.append(chunk)
        mine = set(own)
        moved |= {t for t in chunk if t not in mine}
    return dealt, moved


def read_run(stream: Stream, table: Table, start: int, end: int) -> TableRead:
    """Table 四: one data row of 15 values under a header without numbers.

    Fewer values than cells may be a table split into one sub-table per row (its caption,
    its header, its values), whose row of empty cells left no line: then each row's values
    are those after its own caption (`_sub_tables`).
    """
    refs = tuple(ref for row_refs in table.row_refs.values() for ref in row_refs)
    tokens = _cut_surplus(stream, tokens_between(stream, start, end), len(refs))
    groups = _sub_tables(stream, table, start, end) if len(tokens) < len(refs) else None
    result = TableRead(empty_grid(table), rows_found=len(table.rows) if tokens else 0)
    _fill(stream, table, groups or [(refs, tokens)], result)
    return result


def _sub_tables(
    stream: Stream, table: Table, start: int, end: int
) -> list[tuple[tuple[CellRef, ...], list[Token]]] | None:
    """Each row's values after its own caption, when every row's caption is printed in order, each
    prints exactly its row's cells, each value its own cell, or nothing at all, and two rows or
    more print values (None otherwise: the values are one run after all the captions)."""
    found = find_labels(stream, table, start, end)
    if [key for key, _, _ in found] != [row.key for row in table.rows]:
        return None
    groups = []
    for index, (key, _, label_end) in enumerate(found):
        refs = table.row_refs[key]
        seg_end = found[index + 1][1] if index + 1 < len(found) else end
        tokens = _cut_surplus(stream, tokens_between(stream, label_end, seg_end), len(refs))
        if tokens and (len(tokens) != len(refs) or any(t.soft for t in tokens)):
            return None
        groups.append((refs, tokens))
    printing = sum(1 for _, tokens in groups if tokens)
    return groups if printing >= 2 else None  # one run after all captions is the table's one row


def _record_column_labels(stream: Stream, table: Table, start: int, end: int, result: TableRead) -> None:
    seen: set[str] = set()
    for row in table.rows:
        for column in table.columns_of(row):
            if column.key in seen or not column.variants:
                continue
            seen.add(column.key)
            match = label_pattern(column.labels, False).search(stream.text, start, end)
            if not match:
                continue
            text = printed(stream, *match)
            result.labels[f"{table.key}.*.{column.key}"] = text
            if compact(text) != compact(column.label):
                result.notes.append(
                    Note(
                        "label-variant",
                        f"表{table.number}的列标题印为“{text}”，与国家格式不同（应为“{column.label}”）",
                        f'column header printed as "{text}", the national format says "{column.label}"',
                        f"{table.key}.*.{column.key}",
                        stream.loc_json(match[0]),
                    )
                )


def _fill(
    stream: Stream,
    table: Table,
    groups: list[tuple[tuple[CellRef, ...], list[Token]]],
    out: TableRead,
    stated: Stated = _nothing_stated,
) -> None:
    kinds = table.kinds
    identities = table.identities
    grid, provenance, cell_json = out.grid, out.provenance, stream.cell_json
    known: dict[CellRef, int | None] = {}
    pending: dict[tuple[CellRef, ...], dict[Vector, Owners]] = {}
    pending_tokens: dict[tuple[CellRef, ...], list[Token]] = {}
    ambiguous: set[tuple[CellRef, ...]] = set()
    for refs, tokens in groups:
        printed_any = bool(tokens)
        tokens = _trim(tokens, len(refs))
        if not tokens:
            if not printed_any:
                out.notes.append(_no_values(table, refs))
            continue
        if _count_and_amount(stream, table, refs, tokens, stated, out):
            continue
        lost = _lost_cell(tokens, refs, table.identities_within(refs)) if len(tokens) == len(refs) else None
        if lost is not None:
            pending_tokens[refs] = tokens[1:]
            pending[refs] = lost
            continue
        if len(tokens) == len(refs):
            for (ref, row, column, name, kind), token in zip(table.slots(refs), tokens, strict=True):
                raw = token.raw
                if not raw:
                    value: Value = None
                elif kind is COUNT and raw.isdecimal():
                    value = int(raw)
                else:
                    value = _convert(raw, kind)
                    if value is None:
                        out.notes.append(_bad_value(stream, table, ref, token))
                grid[row][column] = value
                provenance[name] = {**cell_json(token.cell), "text": raw}
                known[ref] = value if isinstance(value, int) else None
            continue
        key = refs
        pending_tokens[key] = tokens
        pending[key] = {}
        if not all(kinds[r] in (Kind.COUNT, Kind.SIGNED) for r in refs) or not all(
            t.raw.removeprefix("-").isdecimal() for t in tokens
        ):
            continue
        pieces = [t.raw.removeprefix("-") for t in tokens]
        negative = [t.raw.startswith("-") for t in tokens]
        local = table.identities_within(key)
        try:
            pending[key] = split_candidates(pieces, [t.soft for t in tokens], refs, local, negative)
        except TooAmbiguous:
            pending[key] = {}
            ambiguous.add(key)
            continue
        if not pending[key] and len(tokens) == len(refs) - 1:
            pending[key] = gap_candidates([int(t.raw) for t in tokens], refs, local)
    confirmed_by_text = _narrow_to_stated(pending, stated)
    decided = settle({k: list(v) for k, v in pending.items()}, known, identities) if pending else {}
    values = dict(known)
    for key, chosen in decided.items():
        values.update(zip(key, chosen, strict=True))
    for key, chosen in list(decided.items()):
        local = table.identities_within(key)
        if not consistent(key, chosen, local) and not confirmed(key, chosen, values, identities):
            del decided[key]
    for key, tokens in pending_tokens.items():
        vector = decided.get(key)
        if vector is None:
            options = MAX_EXAMINED if key in ambiguous else len(pending[key])
            out.notes.append(_undecidable(stream, table, list(key), tokens, options))
            continue
        owners = pending[key][vector]
        for ref, value, owner in zip(key, vector, owners, strict=True):
            if owner == BLANK:
                _put(stream, out, ref, None, None, "blank")
                continue
            how = "inferred" if owner < 0 else ("split" if owners.count(owner) > 1 else "printed")
            _put(stream, out, ref, value, tokens[owner] if owner >= 0 else None, how)
            if key in confirmed_by_text:
                out.provenance[str(ref)]["confirmed_by"] = "text"
            if owner < 0:
                out.notes.append(
                    Note(
                        "inferred",
                        f"{table.cell_zh(ref)}在文件中缺失，由表格勾稽关系唯一确定为 {value}",
                        f"cell missing in the document; the table's identities determine it as {value}",
                        str(ref),
                        stream.loc_json(tokens[0].start),
                    )
                )


def _count_and_amount(
    stream: Stream,
    table: Table,
    refs: tuple[CellRef, ...],
    tokens: list[Token],
    stated: Stated,
    out: TableRead,
) -> bool:
    """A count run into the amount after it ("245.82万元": 政府集中采购's 采购项目数量 and 采购总金额).

    Every cut leaving a count without leading zeros and an amount that starts like one
    ("0", "0.0450" or a digit 1-9) is a reading; the prose's statement of the count may
    choose one. Filled only when one reading is left; False (the row is read as usual) otherwise.
    """
    if len(tokens) != 1 or len(refs) != 2 or not tokens[0].soft:
        return False
    count, amount = refs
    if table.kinds[count] is not Kind.COUNT or table.kinds[amount] not in (Kind.TEXT, Kind.MONEY):
        return False
    token = tokens[0]
    raw = token.raw
    digits = len(raw) - len(raw.lstrip("0123456789"))
    readings: list[tuple[int, str, Value]] = []
    for cut in range(1, digits + 1):
        head, rest = raw[:cut], raw[cut:]
        if not rest or (cut > 1 and head[0] == "0") or (rest[0] == "0" and rest[1:2].isdecimal()):
            continue
        value = _convert(rest, table.kinds[amount])
        if value is not None:
            readings.append((int(head), rest, value))
    said = stated().get(count) if len(readings) > 1 else None
    agreeing = [r for r in readings if r[0] == said]
    confirmed = len(readings) > 1 and len(agreeing) == 1
    chosen = agreeing if confirmed else readings
    if len(chosen) != 1:
        return False
    number, rest, value = chosen[0]
    cut_at = token.end - len(rest)
    _put(
        stream,
        out,
        count,
        number,
        Token(raw[: len(raw) - len(rest)], token.start, cut_at, True, token.cell),
        "split",
    )
    _put(stream, out, amount, value, Token(rest, cut_at, token.end, True, token.cell), "split")
    if confirmed:
        for ref in refs:
            out.provenance[str(ref)]["confirmed_by"] = "text"
    return True


def _narrow_to_stated(
    pending: dict[tuple[CellRef, ...], dict[Vector, Owners]], ask: Stated
) -> set[tuple[CellRef, ...]]:
    """Keep, of a row's several readings, those that agree with every count the prose states for it.

    Only when some do: prose that contradicts every reading of the digits settles nothing.
    Returns the rows so narrowed.
    """
    narrowed: set[tuple[CellRef, ...]] = set()
    if all(len(options) < 2 for options in pending.values()):
        return narrowed
    stated = ask()
    for key, options in pending.items():
        if len(options) < 2 or not any(ref in stated for ref in key):
            continue
        agreeing = {
            vector: owners
            for vector, owners in options.items()
            if all(stated.get(ref, value) == value for ref, value in zip(key, vector, strict=True))
        }
        if agreeing and len(agreeing) < len(options):
            pending[key] = agreeing
            narrowed.add(key)
    return narrowed


BLANK = -2  # owner of a cell printed empty, in a reading that keeps the printed blank


def _lost_cell(
    tokens: list[Token], refs: tuple[CellRef, ...], local: tuple[Identity, ...]
) -> dict[Vector, Owners] | None:
    """Readings of a row whose first token is empty: a blank first cell, or label padding
    standing where a lost cell was ("（一）予以公开", padding, then 63 24 28 10 8 7).

    Read in place, a lost cell shifts every value one column; so when one cell lost
    somewhere also fits the row's identities, both readings are candidates and the table
    decides (or nothing is decided). None when no lost-cell reading fits: the row is as printed.
    """
    if not local or not tokens[0].empty or not all(t.digits for t in tokens[1:]):
        return None
    values = [int(t.raw) for t in tokens[1:]]
    lost = gap_candidates(values, refs, local)
    if not lost:
        return None
    return {(None, *values): (BLANK, *range(len(values))), **lost}


def _cut_surplus(stream: Stream, tokens: list[Token], size: int) -> list[Token]:
    """Values beyond a table's last cell, on a later line (a date, a page number), are not its values."""
    if len(tokens) <= size:
        return tokens
    line_of = stream.line_of
    if line_of[tokens[size].cell] != line_of[tokens[size - 1].cell] or not tokens[size].soft:
        return tokens[:size]
    return tokens


def _trim(tokens: list[Token], size: int) -> list[Token]:
    """Drop padding empties (label area on the left, a trailing tab) beyond the row's size."""
    if len(tokens) == size:  # the common case: nothing to trim
        return tokens
    tokens = list(tokens)
    padding = 0
    while len(tokens) > size and tokens[0].empty and padding < MAX_PADDING:
        tokens.pop(0)
        padding += 1
    while len(tokens) > size and tokens[-1].empty:
        tokens.pop()
    if len(tokens) != size and all(t.empty for t in tokens):
        return []
    return tokens


def _convert(raw: str, kind: Kind) -> Value:
    if not raw:
        return None
    if not raw.isascii():
        raw = raw.translate(FOLD)
    text = raw.replace(",", "") if "," in raw else raw
    if kind is Kind.TEXT:
        return "".join(raw.split())  # "45.82 万元" as a PDF line spaces it is "45.82万元"
    if kind is Kind.MONEY:
        text = text.removesuffix("万元").removesuffix("元")
        return text if text.replace(".", "", 1).lstrip("+").isdecimal() else None
    if kind is Kind.SIGNED:
        body = text.lstrip("+-")
        return int(text) if body.isdecimal() else None
    # A negative count is kept as printed: the checks report it as the agency's error (R6).
    return int(text) if text.removeprefix("-").isdecimal() else None


def _put(stream: Stream, out: TableRead, ref: CellRef, value: Value, token: Token | None, how: str) -> None:
    out.grid[ref.row][ref.column] = value
    if token is None:
        out.provenance[str(ref)] = {"how": how}
        return
    entry = {**stream.cell_json(token.cell), "text": token.raw}
    if how != "printed":
        entry["how"] = how
    out.provenance[str(ref)] = entry


def _bad_value(stream: Stream, table: Table, ref: CellRef, token: Token) -> Note:
    return Note(
        "bad-value",
        f"{table.cell_zh(ref)}印为“{token.raw}”，不是该栏应填的数值，记为空",
        f'cell printed as "{token.raw}", which is not a valid value for it; read as null',
        str(ref),
        stream.loc_json(token.start),
    )


def _no_values(table: Table, refs: tuple[CellRef, ...]) -> Note:
    rows = list(dict.fromkeys(r.row for r in refs))
    where = "、".join(table.row_zh(row) for row in rows)
    return Note(
        "no-values",
        f"{where}在文件中没有可对应的数值，记为空",
        "no values in the document could be assigned to the row; its cells are null",
        f"{table.key}.{rows[0]}" if len(rows) == 1 else table.key,
    )


def _undecidable(
    stream: Stream, table: Table, refs: list[CellRef], tokens: list[Token], options: int
) -> Note:
    where = "、".join(dict.fromkeys(table.row_zh(r.row) for r in refs))
    shown = " ".join(t.raw or "（空）" for t in tokens)
    if options >= MAX_EXAMINED:
        zh = f"{where}印为“{shown}”，可能的读法超过 {MAX_EXAMINED} 种，过于含糊，无法确定，记为空"
        en = f'printed as "{shown}"; more than {MAX_EXAMINED} readings: too ambiguous, left null'
    elif options > 1:
        zh = f"{where}印为“{shown}”，按表格勾稽关系有 {options} 种读法，无法确定，记为空"
        en = f'printed as "{shown}"; the identities admit {options} readings, so the cells are left null'
    else:
        zh = f"{where}应有 {len(refs)} 个数值，文件中印为“{shown}”，无法唯一对应到各列，记为空"
        en = f'expected {len(refs)} values, the document prints "{shown}"; no single reading fits, left null'
    rows = {r.row for r in refs}
    cell = f"{table.key}.{refs[0].row}" if len(rows) == 1 else table.key
    return Note("undecidable", zh, en, cell, stream.loc_json(tokens[0].start))


__all__ = ["TableRead", "read_labelled", "read_run"]
