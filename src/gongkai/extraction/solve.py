"""Decide cell values the printed layout leaves open, using the table's own identities.

Two cases need it. Crawler text runs a row's cells together ("801000081" for
80,1,0,0,0,0,81): every split into the row's cells without leading zeros is a candidate.
A row that lost a cell: every position of the gap is a candidate, the gap's value
solved from an identity. Identities within the row prune candidates first; what remains
is settled across rows, or left undecided. Nothing is guessed: a cell is filled only
when exactly one candidate survives.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import product

from ..formats import CellRef, Identity
from ..limits import MAX_SOLVE_STEPS

Vector = tuple[int | None, ...]
MAX_DIGITS = 40
MAX_COMBINATIONS = 20_000


class TooAmbiguous(Exception):
    """A row's digits admit more readings than the reader examines (`MAX_EXAMINED`), or could not
    be enumerated within `MAX_SOLVE_STEPS`."""


class Budget:
    """Steps one enumeration may take: the number of splits grows combinatorially with the digits."""

    def __init__(self, steps: int = MAX_SOLVE_STEPS) -> None:
        self.left = steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooAmbiguous


def holds(identity: Identity, value: dict[CellRef, int | None]) -> bool | None:
    """True/False when every cell of the identity is known, else None."""
    total = 0
    for ref in identity.left:
        v = value.get(ref)
        if v is None:
            return None
        total += v
    for ref in identity.right:
        v = value.get(ref)
        if v is None:
            return None
        total -= v
    return total == 0


def consistent(refs: Sequence[CellRef], vector: Vector, identities: Sequence[Identity]) -> bool:
    values = dict(zip(refs, vector, strict=True))
    return all(holds(i, values) is not False for i in identities)


Owners = tuple[int, ...]  # for each cell, the index of the printed token it came from
MAX_EXAMINED = 200_000  # readings of one row examined; beyond it the row is too ambiguous


def distribute(
    pieces: Sequence[str], soft: Sequence[bool], parts: int, total_last: bool = False
) -> Iterator[tuple[Vector, Owners]]:
    """Every reading of printed digit runs as exactly `parts` cells.

    A soft run (crawler text, where separators between cells may be lost) may hold
    several cells; a hard one (its own table cell) is exactly one value. With
    `total_last` (the row's last cell is the sum of the others), the total is cut first
    and only readings of the other cells that sum to it are walked; a state that cannot
    reach its sum is remembered, so a long row of run-together digits stays within the
    budget. Raises `TooAmbiguous` after `MAX_SOLVE_STEPS` steps, found readings or not.
    """
    budget = Budget()
    if not total_last or parts < 2 or not pieces:
        yield from _Walk(pieces, soft, budget).readings(parts, None)
        return
    last = len(pieces) - 1
    tail = pieces[last]
    for size in range(1, len(tail) + 1) if soft[last] else (len(tail),):
        budget.spend()
        cut = len(tail) - size
        if size > 1 and tail[cut] == "0":
            continue
        total = int(tail[cut:])
        head = [*pieces[:last], tail[:cut]] if cut else list(pieces[:last])
        for vector, owners in _Walk(head, soft, budget).readings(parts - 1, total):
            yield (*vector, total), (*owners, last)


class _Walk:
    """Readings of digit runs as cells, left to right over their concatenated digits."""

    def __init__(self, pieces: Sequence[str], soft: Sequence[bool], budget: Budget) -> None:
        self.digits = "".join(pieces)
        self.budget = budget
        self.owner: list[int] = []  # the piece each digit belongs to
        self.piece_end: list[int] = []  # where that piece ends
        self.hard: list[bool] = []  # whether that piece is exactly one cell
        self.later: list[int] = []  # pieces starting after each digit: each needs a cell
        end = 0
        for index, piece in enumerate(pieces):
            end += len(piece)
            self.owner += [index] * len(piece)
            self.piece_end += [end] * len(piece)
            self.hard += [not soft[index]] * len(piece)
            self.later += [len(pieces) - index - 1] * len(piece)
        self.dead: set[tuple[int, int, int]] = set()  # (position, cells, sum) that no reading completes

    def readings(self, parts: int, total: int | None) -> Iterator[tuple[Vector, Owners]]:
        """Every reading as `parts` cells; with `total`, only those summing to it exactly."""
        if len(self.digits) > MAX_DIGITS:
            raise TooAmbiguous  # more digits than any row of counts holds
        yield from self._walk(0, parts, total)

    def _walk(self, pos: int, left: int, room: int | None) -> Iterator[tuple[Vector, Owners]]:
        digits = self.digits
        n = len(digits)
        if pos == n:
            if left == 0 and not room:
                yield (), ()
            return
        rest = n - pos
        if left <= self.later[pos] or left > rest:
            return
        if room is not None:
            if room < 0 or rest > left * len(str(room)):
                return  # some number would be longer, so larger, than the sum left
            if 10 ** (rest - left + 1) + 9 * left <= room:
                return  # the digits left cannot add up to the sum left
            if (pos, left, room) in self.dead:
                return
        found = False
        end = self.piece_end[pos]
        sizes = (end - pos,) if self.hard[pos] else range(1, 2 if digits[pos] == "0" else end - pos + 1)
        for size in sizes:
            self.budget.spend()
            if self.hard[pos] and digits[pos] == "0" and size > 1:
                break
            head = int(digits[pos : pos + size])
            if room is not None and head > room:
                break
            for tail, owners in self._walk(pos + size, left - 1, None if room is None else room - head):
                found = True
                yield (head, *tail), (self.owner[pos], *owners)
        if room is not None and not found:
            self.dead.add((pos, left, room))


def split_candidates(
    pieces: Sequence[str],
    soft: Sequence[bool],
    refs: Sequence[CellRef],
    local: Sequence[Identity],
    negative: Sequence[bool] = (),
) -> dict[Vector, Owners]:
    """Readings the row's own identities admit; a reading the digits force is kept regardless.

    When the digits give exactly one digit per cell ("0100001", "2 000 00 0"), that reading
    is returned even if the row's arithmetic fails; `confirmed` then decides whether the
    rest of the table bears it out ("258 12 1 1" may as well be four cells with three
    blank ones lost). A piece printed with a minus sign (`negative`, "0 -120" for the 2019
    format's 上一年项目数量, 本年增/减, 处理决定数量) gives its first cell that sign.
    """
    every: dict[Vector, Owners] = {}
    examined = 0
    forced = sum(map(len, pieces)) == len(refs)
    signed = any(negative)
    total_last = not forced and not signed and _total_last(refs, local)
    for vector, owners in distribute(pieces, soft, len(refs), total_last):
        examined += 1
        if examined > MAX_EXAMINED:
            raise TooAmbiguous(examined)
        if signed:
            vector = _with_signs(vector, owners, negative)
        if len(every) < 2 or consistent(refs, vector, local):
            every.setdefault(vector, owners)
    if len(every) == 1 and examined == 1 and forced:
        return every
    return {v: o for v, o in every.items() if consistent(refs, v, local)}


def _with_signs(vector: Vector, owners: Owners, negative: Sequence[bool]) -> Vector:
    """The reading with each signed piece's first cell negative: the sign stands before it alone."""
    signed: list[int | None] = []
    previous = -1
    for value, owner in zip(vector, owners, strict=True):
        first = owner != previous
        previous = owner
        signed.append(-value if first and negative[owner] and value is not None else value)
    return tuple(signed)


def _total_last(refs: Sequence[CellRef], local: Sequence[Identity]) -> bool:
    """Whether the row's own identity makes its last cell the sum of all the others (table 三's 总计)."""
    return any(i.right == (refs[-1],) and set(i.left) == set(refs[:-1]) for i in local)


def gap_candidates(
    known: Sequence[int], refs: Sequence[CellRef], local: Sequence[Identity]
) -> dict[Vector, Owners]:
    """Readings of a row printed with one cell fewer than it has; the gap's owner is -1."""
    found: dict[Vector, Owners] = {}
    for gap in range(len(refs)):
        vector: list[int | None] = [*known[:gap], None, *known[gap:]]
        solved = _solve_one(refs, vector, gap, local)
        if solved is not None and consistent(refs, solved, local):
            owners = (*range(gap), -1, *range(gap, len(known)))
            found.setdefault(solved, owners)
    return found


def _solve_one(
    refs: Sequence[CellRef], vector: list[int | None], gap: int, identities: Sequence[Identity]
) -> Vector | None:
    target = refs[gap]
    values = dict(zip(refs, vector, strict=True))
    for identity in identities:
        if target not in identity.cells:
            continue
        sign = 1 if target in identity.left else -1
        rest = 0
        for ref in identity.left:
            if ref != target:
                v = values[ref]
                if v is None:
                    break
                rest += v
        else:
            for ref in identity.right:
                if ref != target:
                    v = values[ref]
                    if v is None:
                        break
                    rest -= v
            else:
                solved = -rest * sign
                if solved >= 0:
                    vector[gap] = solved
                    return tuple(vector)
    return None


MAX_SUMS = 5_000  # partial sums kept per identity while pruning


def prune(
    pending: dict[tuple[CellRef, ...], list[Vector]],
    known: dict[CellRef, int | None],
    identities: Sequence[Identity],
) -> dict[tuple[CellRef, ...], list[Vector]] | None:
    """Drop each candidate that no choice of the other rows' candidates lets an identity hold.

    Column identities link every row of table 三, so a product over rows is out of reach;
    per identity, the sums the other rows can reach are built row by row (prefix and
    suffix sets, capped at MAX_SUMS), and a candidate survives only if some reachable sum
    completes it. Repeated until nothing changes. None when the print contradicts an
    identity outright (then nothing is pruned: the identities cannot be trusted to choose).
    """
    options = {g: list(c) for g, c in pending.items()}
    owner = {ref: g for g in options for ref in g}
    changed = True
    while changed:
        changed = False
        for identity in identities:
            sign = {ref: 1 for ref in identity.left} | {ref: -1 for ref in identity.right}
            groups = list(dict.fromkeys(owner[r] for r in identity.cells if r in owner))
            if not groups:
                continue
            constant = 0
            for ref in identity.cells:
                if ref not in owner:
                    value = known.get(ref)
                    if value is None:
                        break
                    constant += sign[ref] * value
            else:
                kept = _prune_one(options, groups, sign, constant)
                if kept is None:
                    return None
                for g, survivors in kept.items():
                    if len(survivors) < len(options[g]):
                        options[g] = survivors
                        changed = True
    return options


def _prune_one(
    options: dict[tuple[CellRef, ...], list[Vector]],
    groups: list[tuple[CellRef, ...]],
    sign: dict[CellRef, int],
    constant: int,
) -> dict[tuple[CellRef, ...], list[Vector]] | None:
    contributions: list[list[int | None]] = []
    for g in groups:
        row = []
        for vector in options[g]:
            cells = [(sign[r], v) for r, v in zip(g, vector, strict=True) if r in sign]
            row.append(None if any(v is None for _, v in cells) else sum(k * (v or 0) for k, v in cells))
        if None in row:
            return {}
        contributions.append(row)
    prefix: list[set[int]] = [{constant}]
    for row in contributions:
        prefix.append({s + c for s in prefix[-1] for c in set(row) if c is not None})
        if len(prefix[-1]) > MAX_SUMS:
            return {}
    suffix: list[set[int]] = [{0}]
    for row in reversed(contributions):
        suffix.append({s + c for s in suffix[-1] for c in set(row) if c is not None})
        if len(suffix[-1]) > MAX_SUMS:
            return {}
    suffix.reverse()
    kept: dict[tuple[CellRef, ...], list[Vector]] = {}
    for i, g in enumerate(groups):
        before, after = prefix[i], suffix[i + 1]
        survivors = [
            vector
            for vector, c in zip(options[g], contributions[i], strict=True)
            if c is not None and any(-(s + c) in after for s in before)
        ]
        if not survivors:
            return None
        kept[g] = survivors
    return kept


def settle(
    pending: dict[tuple[CellRef, ...], list[Vector]],
    known: dict[CellRef, int | None],
    identities: Sequence[Identity],
) -> dict[tuple[CellRef, ...], Vector]:
    """Choose, for each group of cells, the one candidate the table admits.

    A group with a single candidate is decided by its own row. Groups with several are
    settled jointly against the rest of the table; those left out stay undecided.
    """
    if any(len(c) > 1 for c in pending.values()):
        pending = prune(pending, known, identities) or pending
    decided = {g: c[0] for g, c in pending.items() if len(c) == 1}
    known = dict(known)
    for g, vector in decided.items():
        known.update(zip(g, vector, strict=True))
    groups = [g for g, c in pending.items() if len(c) > 1]
    if not groups:
        return decided
    count = 1
    for g in groups:
        count *= len(pending[g])
    if count > MAX_COMBINATIONS:
        return decided
    touched = {ref for g in groups for ref in g}
    relevant = [i for i in identities if touched & set(i.cells)]
    surviving: list[tuple[Vector, ...]] = []
    for choice in product(*(pending[g] for g in groups)):
        values = dict(known)
        for g, vector in zip(groups, choice, strict=True):
            values.update(zip(g, vector, strict=True))
        if all(holds(i, values) is not False for i in relevant):
            surviving.append(choice)
    for index, g in enumerate(groups):
        options = {choice[index] for choice in surviving}
        if len(options) == 1:
            decided[g] = options.pop()
    return decided


def confirmed(
    refs: Sequence[CellRef], vector: Vector, values: dict[CellRef, int | None], identities: Sequence[Identity]
) -> bool:
    """A forced reading that breaks its own row stands only if the table's other identities bear it out.

    "2581211" for seven cells reads 2, 5, 8, 1, 2, 1, 1 with a wrong total; it may as well
    be 258, 12, 1, 1 with empty cells lost. It is kept (the agency's error, as printed)
    only when some identity across rows is fully known and every such identity holds.
    """
    own = set(refs)
    merged = {**values, **dict(zip(refs, vector, strict=True))}
    across = [i for i in identities if own & set(i.cells) and not own.issuperset(i.cells)]
    verdicts = [holds(i, merged) for i in across]
    return any(v is True for v in verdicts) and not any(v is False for v in verdicts)
