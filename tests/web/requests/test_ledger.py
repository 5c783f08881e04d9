"""The 台账: export as CSV and XLSX masked by the viewer's rights, and the import of an office's
own register with a preview, row-by-row Chinese errors and an idempotent confirmation."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from gongkai.web.core.models import AuditLog
from gongkai.web.requests import ledger, services
from gongkai.web.requests.models import Request, State

from ..conftest import RECEIVED, NewRequest, Tree


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def csv_of(client: Client, query: str = "") -> list[list[str]]:
    response = client.get(f"/requests/ledger.csv{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def test_csv_export_masks_by_the_viewers_rights_and_is_inert(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    r = new_request(content='=HYPERLINK("http://x")')
    services.answer(tree.approve, r, "disclosed", "第二十七条", RECEIVED + timedelta(days=5))
    new_request(content="另一件", applicant_name="李四")
    mine = csv_of(as_user(client, tree.handle))
    assert mine[0] == list(ledger.COLUMNS) and len(mine) == 3
    row = dict(zip(mine[0], next(x for x in mine[1:] if x[0] == str(r.pk)), strict=True))
    assert row["申请人姓名或名称"] == "张三丰" and row["证件号码"] == r.id_number
    assert row["所需政府信息的内容描述"].startswith("'=")
    assert row["办理结果"] == "（一）予以公开" and row["是否按期答复"] == "是"
    assert row["办理用时（工作日）"] == "4"  # Tue-Fri: a < d <= b
    # 督查 sees the district's requests, without the applicants' personal data.
    theirs = csv_of(as_user(client, tree.supervise))
    row = dict(zip(theirs[0], next(x for x in theirs[1:] if x[0] == str(r.pk)), strict=True))
    assert (
        row["申请人姓名或名称"] == "张**" and row["证件号码"] == r.id_number[:4] + "*" * 10 + r.id_number[-4:]
    )
    # The list's filters apply; another office sees none of them.
    assert len(csv_of(as_user(client, tree.handle), "?q=李四")) == 2
    assert len(csv_of(as_user(client, tree.outsider))) == 1


def test_xlsx_export_has_the_same_rows_and_no_formula(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    new_request(content="=1+1")
    response = as_user(client, tree.handle).get("/requests/ledger.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    rows = list(book.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0] == ledger.COLUMNS and rows[1][11] == "=1+1"
    assert book.active.cell(2, 12).data_type == "s"  # type: ignore[union-attr]
    assert client.get("/requests/ledger.pdf").status_code == 404


def test_xlsx_export_takes_control_characters(client: Client, tree: Tree, new_request: NewRequest) -> None:
    # an applicant's text may hold any character; one of them must not break the office's export
    new_request(content="甲\x01乙\x1f")
    response = as_user(client, tree.handle).get("/requests/ledger.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    content = book.active.cell(2, 12).value  # type: ignore[union-attr]
    assert isinstance(content, str) and content.startswith("甲") and "乙" in content


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["收到申请日期", "申请方式", "申请人类型", "申请人姓名或名称", "证件类型", "证件号码"]
HEADER += ["联系电话", "所需政府信息的内容描述", "获取信息的方式", "办结日期", "办理结果", "法律依据"]
GOOD = ["2025-03-03", "当面提交", "自然人", "王五", "居民身份证", "110101199001011237"]
GOOD += ["13800000000", "申请公开某项目批复", "电子文本", "2025-03-10", "（一）予以公开", "第二十七条"]


def test_reading_names_each_bad_row_and_column_in_chinese() -> None:
    bad = [*GOOD]
    bad[0], bad[1], bad[5] = "2025-13-40", "飞鸽传书", "1101**********1234"
    rows = ledger.read_ledger(xlsx([HEADER, GOOD, bad, [None] * 12]), "t.xlsx")
    assert len(rows) == 2 and rows[0].ok
    assert rows[1].errors == [
        "第 3 行“收到申请日期”列不是有效日期：“2025-13-40”，应为 YYYY-MM-DD",
        "第 3 行“申请方式”列不在可选范围内：“飞鸽传书”",
        "第 3 行“证件号码”列已被遮盖，不能导入",
    ]
    text = "\n".join(",".join(r) for r in [HEADER, GOOD]).encode("gb18030")
    assert ledger.read_ledger(text, "t.csv")[0].fields["applicant_name"] == "王五"
    for data, message in (
        (b"a,b\n1,2\n", "第 1 行（表头）缺少列"),
        (b"", "文件内容为空"),
        (b"PK\x03\x04broken", "XLSX 文件已损坏"),
    ):
        try:
            ledger.read_ledger(data, "x")
        except ledger.LedgerError as error:
            assert error.zh.startswith(message)
        else:
            raise AssertionError(message)


def test_import_previews_then_writes_on_confirm_and_a_reimport_changes_nothing(
    client: Client, tree: Tree
) -> None:
    as_user(client, tree.register)
    open_row = [*GOOD[:3], "赵六", *GOOD[4:9], "", "", ""]
    bad = [*GOOD]
    bad[3] = ""
    data = xlsx([HEADER, GOOD, open_row, bad])
    upload = SimpleUploadedFile("台账.xlsx", data)
    page = client.post("/requests/import/", {"agency": tree.street.pk, "file": upload})
    assert page.status_code == 200
    text = page.content.decode()
    assert "可导入 2 行；有错误 1 行；已导入过 0 行。" in text
    assert "第 4 行“申请人姓名或名称”列为空" in text
    # Nothing written before confirming (the sign-in itself is audited).
    assert not Request.objects.exists() and not AuditLog.objects.exclude(action__startswith="auth.").exists()

    token = page.context["token"]
    client.post("/requests/import/confirm/", {"token": token, "agency": tree.street.pk})
    assert Request.objects.count() == 2
    closed = Request.objects.get(applicant_name="王五")
    assert closed.state == State.ANSWERED and closed.outcome == "disclosed" and closed.closed_on is not None
    assert Request.objects.get(applicant_name="赵六").is_open
    assert AuditLog.objects.filter(action="request.import").count() == 2
    # The token is spent; and the same file again only finds what is already there.
    client.post("/requests/import/confirm/", {"token": token, "agency": tree.street.pk})
    again = client.post(
        "/requests/import/", {"agency": tree.street.pk, "file": SimpleUploadedFile("a.xlsx", data)}
    )
    assert "可导入 0 行；有错误 1 行；已导入过 2 行。" in again.content.decode()
    client.post("/requests/import/confirm/", {"token": again.context["token"], "agency": tree.street.pk})
    assert Request.objects.count() == 2


def test_an_export_reads_back_as_a_ledger(client: Client, tree: Tree, new_request: NewRequest) -> None:
    new_request()
    rows = csv_of(as_user(client, tree.handle))
    read = ledger.read_ledger("\n".join(",".join(r) for r in rows).encode(), "x.csv")
    assert [r.errors for r in read] == [[]] and read[0].fields["received_on"] == RECEIVED


def test_import_needs_the_register_role(client: Client, tree: Tree) -> None:
    assert as_user(client, tree.handle).get("/requests/import/").status_code == 403
