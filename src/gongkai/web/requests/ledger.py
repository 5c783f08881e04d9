"""The 台账: the request register an annual review reads, one row per request, out as CSV or XLSX
and in from an office's own Excel/CSV register.

The columns are declared once (`COLUMNS`): the export writes all of them; the import reads the
ones it can register (`IMPORTED`), found by their header, so a gongkai export can be read back.
Export rows are read in chunks of ids, with their clocks derived as the lists derive them and the
applicant's data masked by `privacy.applicant_fields` for the viewer, so memory stays flat at any
size. The reader is bounded: file size, unpacked size, rows, columns and cell length are capped,
and a file over a cap is refused with a Chinese message naming the cap.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.personal_data import id_number_problem
from gongkai.web.calendar.selectors import work_calendar
from gongkai.writing.inert import inert_row

from . import selectors
from .models import (
    OUTCOME_CHOICES,
    ApplicantKind,
    Channel,
    Delivery,
    IdType,
    Request,
    State,
)
from .privacy import applicant_fields

User = AbstractBaseUser | AnonymousUser
CHUNK = 1000

COLUMNS = (
    "编号",
    "受理机关",
    "收到申请日期",
    "申请方式",
    "申请人类型",
    "申请人姓名或名称",
    "证件类型",
    "证件号码",
    "联系电话",
    "通信地址",
    "电子邮箱",
    "所需政府信息的内容描述",
    "获取信息的方式",
    "承办人",
    "办理状态",
    "答复期限",
    "延长工作日",
    "办结日期",
    "办理结果",
    "法律依据",
    "是否按期答复",
    "办理用时（工作日）",
)
CHANNELS = {k: str(v) for k, v in Channel.choices}
DELIVERIES = {k: str(v) for k, v in Delivery.choices}
STATES = {k: str(v) for k, v in State.choices}
OUTCOME_LABELS = {k: str(v) for k, v in OUTCOME_CHOICES}


# Export -------------------------------------------------------------------------------------------


def export_rows(user: User, requests: QuerySet[Request]) -> Iterator[tuple[Any, ...]]:
    """The header, then one row per request of `requests` (already scoped to `user`), in its order."""
    yield COLUMNS
    calendar = work_calendar()
    ids = list(requests.values_list("pk", flat=True))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        found = Request.objects.select_related("agency", "handler").in_bulk(chunk)
        clocks = selectors.clocks({pk: r.channel for pk, r in found.items()})
        for pk in chunk:
            r = found[pk]
            state = clocks[pk]
            who = applicant_fields(user, r)
            closed = r.closed_on is not None
            yield (
                r.pk,
                r.agency.name,
                r.received_on.isoformat(),
                CHANNELS[r.channel],
                who["applicant_kind"],
                who["applicant_name"],
                who["id_type"],
                who["id_number"],
                who["phone"],
                who["address"],
                who["email"],
                r.content,
                DELIVERIES[r.delivery],
                r.handler.get_username() if r.handler else "",
                STATES[r.state],
                state.answer_due.isoformat() if state.answer_due else "",
                state.extension_workdays,
                r.closed_on.isoformat() if r.closed_on else "",
                OUTCOME_LABELS.get(r.outcome, "") if r.outcome else "",
                r.legal_basis,
                ("否" if state.overdue else "是") if closed else ("已超期" if state.overdue else "办理中"),
                calendar.workdays_between(r.received_on, r.closed_on) if r.closed_on else "",
            )


class _Echo:
    """A file whose write returns the line: csv.writer then yields one encoded row at a time."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    """UTF-8 with a BOM (Excel opens it as such), every text made inert."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in rows:
        yield str(writer.writerow(inert_row(row))).encode()


# Import -------------------------------------------------------------------------------------------

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_CELL = 5000

# The columns the import reads (header -> field); those marked required must be there.
IMPORTED = {
    "收到申请日期": "received_on",
    "申请方式": "channel",
    "申请人类型": "applicant_kind",
    "申请人姓名或名称": "applicant_name",
    "证件类型": "id_type",
    "证件号码": "id_number",
    "联系电话": "phone",
    "通信地址": "address",
    "电子邮箱": "email",
    "所需政府信息的内容描述": "content",
    "获取信息的方式": "delivery",
    "办结日期": "closed_on",
    "办理结果": "outcome",
    "法律依据": "legal_basis",
}
REQUIRED: tuple[str, ...] = (
    "收到申请日期",
    "申请方式",
    "申请人类型",
    "申请人姓名或名称",
    "证件类型",
    "证件号码",
    "所需政府信息的内容描述",
    "获取信息的方式",
)
# Labels or stored values of each choice column.
CHOICES: dict[str, dict[str, str]] = {
    "channel": {**{str(v): k for k, v in Channel.choices}, **{k: k for k in Channel.values}},
    "applicant_kind": {
        **{str(v): k for k, v in ApplicantKind.choices},
        **{k: k for k in ApplicantKind.values},
    },
    "id_type": {**{str(v): k for k, v in IdType.choices}, **{k: k for k in IdType.values}},
    "delivery": {**{str(v): k for k, v in Delivery.choices}, **{k: k for k in Delivery.values}},
    "outcome": {**{str(v): k for k, v in OUTCOME_CHOICES}, **{k: k for k, _v in OUTCOME_CHOICES}},
}


class LedgerError(Exception):
    """The file as a whole cannot be read (type, size, no header); rows' errors are per row."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} ({en})")
        self.zh, self.en = zh, en


@dataclass
class LedgerRow:
    """One row of the register: the fields it gives, and the errors found, each naming row and column."""

    number: int  # the row number as the spreadsheet shows it
    fields: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_ledger(data: bytes, name: str) -> list[LedgerRow]:
    """Every row of the register in `data` (XLSX or CSV, decided by content), checked."""
    if len(data) > MAX_BYTES:
        raise LedgerError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB", "file too large")
    table = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    header = next(table, None)
    if header is None:
        raise LedgerError("文件内容为空", "the file is empty")
    titles = [_text(v).replace(" ", "") for v in header]
    missing = [t for t in REQUIRED if t not in titles]
    if missing:
        raise LedgerError(
            f"第 1 行（表头）缺少列：{'、'.join(missing)}", f"header lacks columns: {', '.join(missing)}"
        )
    where = {IMPORTED[t]: (i, t) for i, t in enumerate(titles) if t in IMPORTED}
    rows = []
    for number, values in enumerate(table, start=2):
        if number - 1 > MAX_ROWS:
            raise LedgerError(f"文件超过 {MAX_ROWS} 行", f"more than {MAX_ROWS} rows")
        if not any(_text(v) for v in values):
            continue
        rows.append(_check(number, values, where))
    return rows


def _check(number: int, values: tuple[Any, ...], where: dict[str, tuple[int, str]]) -> LedgerRow:
    row = LedgerRow(number)
    for name, (i, title) in where.items():
        raw = values[i] if i < len(values) else None
        text = _text(raw)
        at = f"第 {number} 行“{title}”列"
        if len(text) > MAX_CELL:
            row.errors.append(f"{at}超过 {MAX_CELL} 个字")
        elif name in ("received_on", "closed_on"):
            day = _day(raw)
            if text and day is None:
                row.errors.append(f"{at}不是有效日期：“{text}”，应为 YYYY-MM-DD")
            elif day is None and title in REQUIRED:
                row.errors.append(f"{at}为空")
            row.fields[name] = day
        elif name in CHOICES:
            chosen = CHOICES[name].get(text)
            if text and chosen is None:
                row.errors.append(f"{at}不在可选范围内：“{text}”")
            elif not text and title in REQUIRED:
                row.errors.append(f"{at}为空")
            row.fields[name] = chosen
        else:
            if not text and title in REQUIRED:
                row.errors.append(f"{at}为空")
            elif name == "id_number" and "*" in text:
                row.errors.append(f"{at}已被遮盖，不能导入")
            elif (
                name == "id_number"
                and row.fields.get("id_type") == IdType.RESIDENT_ID
                and (problem := id_number_problem(text, timezone.localdate()))
            ):  # the registration service checks the same way: the preview promises only what it takes
                row.errors.append(f"{at}：{problem}")
            row.fields[name] = text
    closed, outcome = row.fields.get("closed_on"), row.fields.get("outcome")
    if bool(closed) != bool(outcome):
        row.errors.append(f"第 {number} 行“办结日期”和“办理结果”应同时填写或同时为空")
    elif closed and row.fields.get("received_on") and closed < row.fields["received_on"]:
        row.errors.append(f"第 {number} 行“办结日期”早于“收到申请日期”")
    return row


def row_key(agency_id: int, fields: dict[str, Any]) -> str:
    """A stable key of a register row: the same agency, date, applicant and content is the same request."""
    parts = (
        str(agency_id),
        str(fields.get("received_on")),
        str(fields.get("applicant_name", "")),
        str(fields.get("id_number", "")),
        str(fields.get("content", "")),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"ledger-{digest[:57]}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    for sep in ("年", "月"):
        text = text.replace(sep, "-")
    text = text.rstrip("日")
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return date(y, m, d)
    except ValueError:
        return None


def _xlsx_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise LedgerError("XLSX 文件已损坏，无法读取", f"damaged XLSX: {error}") from None
    if unpacked > MAX_UNPACKED:
        raise LedgerError("XLSX 文件解压后过大", "XLSX unpacks too large")
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield tuple(values)
    except LedgerError:
        raise
    except Exception as error:  # openpyxl raises anything on damaged files
        raise LedgerError("XLSX 文件已损坏，无法读取", f"damaged XLSX: {error}") from None


def _csv_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LedgerError("CSV 文件编码无法识别（应为 UTF-8 或 GB18030）", "CSV encoding unknown")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for values in reader:
            yield tuple(values[:MAX_COLUMNS])
    except csv.Error as error:
        raise LedgerError(f"CSV 第 {reader.line_num} 行格式错误", f"CSV error: {error}") from None
