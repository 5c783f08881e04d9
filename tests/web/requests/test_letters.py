"""Letters: each kind is a DOCX that python-docx opens and that says what the applicant must know."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from gongkai.web.core.audit import history
from gongkai.web.core.errors import ServiceError
from gongkai.web.core.models import AuditLog
from gongkai.web.requests import letter_docx, letters, services
from gongkai.web.requests.models import (
    Attachment,
    EventKind,
    LetterKind,
    LetterTemplate,
    Request,
    RequestEvent,
)
from gongkai.web.requests.services.letters import (
    issue_letter,
    remove_template_docx,
    save_template,
    upload_template_docx,
)
from gongkai.writing.docx import MEDIA_TYPE as DOCX_TYPE

from ..conftest import COMPANY, NewRequest, Tree

ON = date(2025, 3, 20)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Issued letters are files: keep them out of the working tree."""
    settings.MEDIA_ROOT = tmp_path


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def letter_text(attachment: Attachment) -> str:
    with attachment.file.open("rb") as f:
        return text_of(f.read())


def prepared(tree: Tree, request: Request, kind: LetterKind) -> None:
    """Record the event the letter reports, as the desk would before issuing it."""
    if kind == LetterKind.SUPPLEMENT:
        services.request_supplement(
            tree.handle, request, date(2025, 3, 5), date(2025, 3, 14), "请写明文件的文号"
        )
    elif kind == LetterKind.CONSULTATION:
        services.start_consultation(tree.handle, request, "某建设有限公司", "third_party", date(2025, 3, 5))
    elif kind == LetterKind.EXTENSION:
        services.approve_extension(tree.head, request, 10, date(2025, 3, 25), "需要调取档案")
    elif kind == LetterKind.FEE:
        services.issue_fee_notice(tree.handle, request, date(2025, 3, 10), "per_page", 150)
    elif kind == LetterKind.REASONS:
        services.request_reasons(
            tree.handle, request, date(2025, 3, 5), date(2025, 3, 12), "申请人一个月内提出60件申请"
        )
    elif kind == LetterKind.LATER_DEADLINE:
        services.set_later_deadline(tree.head, request, date(2025, 3, 20), date(2025, 4, 30), "理由合理")
    elif kind == LetterKind.ANSWER:
        services.answer(
            tree.approve, request, "disclosed", "《中华人民共和国政府信息公开条例》第三十六条", ON
        )


ESSENTIALS = {
    LetterKind.RECEIPT: ("政府信息公开申请登记回执", "张三丰：", "2025年3月3日", "2025年3月31日", "查询码"),
    LetterKind.SUPPLEMENT: ("补正告知书", "请写明文件的文号", "2025年3月14日", "视为放弃申请"),
    LetterKind.EXTENSION: ("延期答复告知书", "需要调取档案", "延长10个工作日", "2025年4月15日"),
    LetterKind.CONSULTATION: ("意见征询函", "某建设有限公司：", "第三十二条"),
    LetterKind.FEE: (
        "收费通知书",
        "信息处理费",
        "元",
        "按量计收",
        "缴纳方式：请通过政务服务网非税收入缴款系统",
    ),
    LetterKind.REASONS: ("说明理由告知书", "一个月内提出60件申请", "2025年3月12日前说明理由", "第三十五条"),
    LetterKind.LATER_DEADLINE: ("延迟答复告知书", "合理期限为2025年4月30日", "第三十五条"),
    LetterKind.ANSWER: (
        "答复书",
        "予以公开",
        "第三十六条",
        "自收到本答复之日起60日内向示例区人民政府申请行政复议",
        "自收到本答复之日起6个月内向示例区人民法院提起行政诉讼",
    ),
}


@pytest.mark.parametrize("kind", list(LetterKind))
def test_each_kind_is_a_docx_with_the_essentials(
    tree: Tree, new_request: NewRequest, kind: LetterKind
) -> None:
    request = new_request()
    prepared(tree, request, kind)
    attachment = issue_letter(tree.handle, request, kind, ON, "东街公开〔2025〕1号")
    text = letter_text(attachment)
    for essential in ESSENTIALS[kind]:
        assert essential in text, (essential, text)
    assert "东湖街道办事处" in text and "2025年3月20日" in text
    assert "东街公开〔2025〕1号" in text
    if kind == LetterKind.RECEIPT:
        assert request.tracking_code_grouped in text
    if kind == LetterKind.CONSULTATION:
        assert (
            "张三丰" not in text and "110101199001011237" not in text
        )  # the third party learns no applicant
    assert Path(attachment.file.name).name.startswith(f"{letters.TITLES[kind]}-{request.pk}-2025-03-20")
    event = request.events.get(kind=EventKind.LETTER_ISSUED)
    assert event.data["letter"] == kind and event.date == ON
    assert history(request).filter(action="request.letter_issued").count() == 1
    assert history(request).filter(action="attachment.add").count() == 1


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        ("disclosed", "予以公开"),
        ("partly_disclosed", "可以公开的部分"),
        ("withheld_third_party", "理由为：保护第三方合法权益。"),
        ("unavailable_not_held", "本机关不掌握相关政府信息"),
        ("rejected_repeat", "属于重复申请的情形"),
        ("other_other", "特此告知"),
    ],
)
def test_answer_wording_follows_the_outcome_group(
    tree: Tree, new_request: NewRequest, outcome: str, words: str
) -> None:
    request = new_request()
    services.answer(tree.approve, request, outcome, "《条例》相关条款", ON)
    text = letter_text(issue_letter(tree.handle, request, "answer", ON))
    assert words in text and "《条例》相关条款" in text


def test_agency_template_wins_and_unknown_placeholders_stay_visible(
    tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    save_template(
        tree.head,
        tree.street,
        "receipt",
        "",
        "{applicant}：\n本街道已收到，查询码 {tracking_code}。{unknown}",
    )
    text = letter_text(issue_letter(tree.handle, request, "receipt", ON))
    assert "本街道已收到" in text and request.tracking_code_grouped in text and "{unknown}" in text
    save_template(tree.head, tree.street, "answer", "rejected", "{applicant}：\n不予处理（{outcome}）。")
    services.answer(tree.approve, request, "rejected_petition", "条例第三十九条", ON)
    assert "不予处理（信访举报投诉类申请）" in letter_text(issue_letter(tree.handle, request, "answer", ON))
    save_template(tree.head, tree.street, "receipt", "", "")  # empty body: back to the default
    assert "登记回执" in letter_text(issue_letter(tree.handle, request, "receipt", ON))


def test_templates_are_kept_by_the_head_only(tree: Tree) -> None:
    with pytest.raises(ServiceError):
        save_template(tree.handle, tree.street, "receipt", "", "x")
    with pytest.raises(ServiceError):
        save_template(tree.head, tree.street, "receipt", "no_such_outcome", "x")


def test_a_letter_needs_its_event_and_a_refusal_changes_nothing(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    counts = (RequestEvent.objects.count(), Attachment.objects.count(), AuditLog.objects.count())
    for kind in set(LetterKind) - {LetterKind.RECEIPT}:
        with pytest.raises(ServiceError) as raised:
            issue_letter(tree.handle, request, kind, ON)
        assert "不能出具" in raised.value.zh
    with pytest.raises(ServiceError):
        issue_letter(tree.outsider, request, "receipt", ON)
    assert (RequestEvent.objects.count(), Attachment.objects.count(), AuditLog.objects.count()) == counts


def test_letter_issued_from_the_request_page_is_downloadable(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    client.force_login(tree.handle)
    data = {"letter-kind": "receipt", "letter-on": "2025-03-04", "letter-number": ""}
    assert client.post(f"/requests/{request.pk}/do/letter/", data).status_code == 302
    attachment = Attachment.objects.get(request=request)
    page = client.get(f"/requests/{request.pk}/").content.decode()
    assert f"/requests/{request.pk}/attachments/{attachment.pk}/" in page and "出具文书" in page
    download = client.get(f"/requests/{request.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert "登记回执" in text_of(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    client.force_login(tree.outsider)
    assert client.get(f"/requests/{request.pk}/attachments/{attachment.pk}/").status_code == 404
    answer = {"letter-kind": "answer", "letter-on": "2025-03-04"}
    client.force_login(tree.handle)
    response = client.post(f"/requests/{request.pk}/do/letter/", answer)
    assert response.status_code == 400 and "尚未答复" in response.content.decode()


def test_letter_template_page_saves_through_the_service(client: Client, tree: Tree) -> None:
    client.force_login(tree.head)
    page = client.get("/letters/templates/?kind=answer&outcome=withheld_state_secret").content.decode()
    assert "{legal_basis}" in page and "不予公开" in page
    data = {
        "agency": tree.street.pk,
        "kind": "fee",
        "outcome": "",
        "body": "{applicant}：请缴费 {fee_amount} 元。",
    }
    assert client.post("/letters/templates/", data).status_code == 302
    assert AuditLog.objects.filter(action="letter_template.save").count() == 1
    assert "请缴费" in client.get("/letters/templates/?kind=fee").content.decode()


def test_the_registrar_issues_the_receipt_but_no_other_letter(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    attachment = issue_letter(tree.register, request, "receipt", ON)
    assert attachment.request == request
    with pytest.raises(ServiceError):
        issue_letter(tree.register, request, "supplement", ON)


def test_who_may_issue_each_letter_follows_the_office(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    assert services.issuable_letters(tree.register, request) == [LetterKind.RECEIPT]
    assert services.issuable_letters(tree.handle, request) == list(LetterKind.values)
    assert services.issuable_letters(tree.approve, request) == [LetterKind.ANSWER]
    assert set(services.issuable_letters(tree.head, request)) == {
        LetterKind.EXTENSION,
        LetterKind.LATER_DEADLINE,
        LetterKind.ANSWER,  # the 负责人 who signs the answer last sends it
    }
    assert services.issuable_letters(tree.supervise, request) == []
    assert services.issuable_letters(tree.outsider, request) == []


def test_the_registrar_issues_the_receipt_at_the_counter_from_the_request_page(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    client.force_login(tree.register)
    page = client.get(f"/requests/{request.pk}/").content.decode()
    assert 'id="action-letter"' in page and 'value="receipt"' in page
    assert 'value="supplement"' not in page
    data = {"letter-kind": "receipt", "letter-on": "2025-03-04", "letter-number": ""}
    assert client.post(f"/requests/{request.pk}/do/letter/", data).status_code == 302
    attachment = Attachment.objects.get(request=request)
    download = client.get(f"/requests/{request.pk}/attachments/{attachment.pk}/")
    assert "登记回执" in text_of(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    refused = client.post(f"/requests/{request.pk}/do/letter/", {**data, "letter-kind": "supplement"})
    assert refused.status_code == 400 and Attachment.objects.count() == 1


def test_letters_address_an_organisation_as_such(tree: Tree, new_request: NewRequest) -> None:
    person = letter_text(issue_letter(tree.handle, new_request(), "receipt", ON))
    assert "收到您提出的" in person and "贵单位" not in person
    company = new_request(**COMPANY)
    text = letter_text(issue_letter(tree.handle, company, "receipt", ON))
    assert "示例有限公司：" in text and "收到贵单位提出的" in text and "您" not in text


def test_the_answer_and_the_fee_notice_need_the_agency_settings(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    tree.street.review_body = tree.street.court = tree.street.fee_payment = ""
    tree.street.save()
    request = new_request()
    prepared(tree, request, LetterKind.FEE)
    with pytest.raises(ServiceError, match="信息处理费缴纳方式"):
        issue_letter(tree.handle, request, "fee", ON)
    prepared(tree, request, LetterKind.ANSWER)
    with pytest.raises(ServiceError, match="行政复议机关、管辖法院"):
        issue_letter(tree.handle, request, "answer", ON)
    client.force_login(tree.head)
    assert client.get(f"/letters/settings/?agency={tree.street.pk}").status_code == 200
    data = {
        "agency": tree.street.pk,
        "review_body": "示例区人民政府",
        "court": "示例铁路运输法院",
        "review_days": "90",
        "litigation_months": "6",
        "fee_payment": "现场缴纳",
    }
    assert client.post("/letters/settings/", {**data, "review_days": "30"}).status_code == 400  # < 60
    assert client.post("/letters/settings/", data).status_code == 302
    assert AuditLog.objects.filter(action="agency.letter_settings").count() == 1
    text = letter_text(issue_letter(tree.handle, request, "answer", ON))
    assert "90日内向示例区人民政府申请行政复议" in text and "向示例铁路运输法院提起行政诉讼" in text
    client.force_login(tree.handle)
    assert client.get(f"/letters/settings/?agency={tree.street.pk}").status_code == 403


def test_letters_are_in_official_style_with_chinese_file_names(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    attachment = issue_letter(tree.handle, request, "receipt", ON)
    with attachment.file.open("rb") as f, zipfile.ZipFile(io.BytesIO(f.read())) as package:
        styles = package.read("word/styles.xml").decode()
    for style_id in ("Title", "Heading1"):
        start = styles.index(f'w:styleId="{style_id}"')
        style = styles[start : styles.index("</w:style>", start)]
        assert "w:pBdr" not in style and "themeColor" not in style, style_id  # no rule, no theme colour
    client.force_login(tree.handle)
    download = client.get(f"/requests/{request.pk}/attachments/{attachment.pk}/")
    disposition = download["Content-Disposition"]
    assert "filename*=utf-8''" in disposition
    assert "%E7%99%BB%E8%AE%B0%E5%9B%9E%E6%89%A7" in disposition  # 登记回执, percent-encoded


# Uploaded DOCX templates ---------------------------------------------------------------------------

RED = RGBColor(0xC0, 0x00, 0x00)


def docx_bytes(body: str = "本机关于{received_on}收到您的申请。") -> bytes:
    """A 红头 template as an agency would make it in Word: the placeholder for the addressee is
    split across two bold runs, as Word stores it after an edit in the middle of the word."""
    document = docx.Document()
    head = document.add_paragraph().add_run("东湖街道办事处文件")
    head.bold, head.font.color.rgb, head.font.size = True, RED, Pt(26)
    addressee = document.add_paragraph()
    for part in ("{appl", "icant}"):
        addressee.add_run(part).bold = True
    addressee.add_run("：")
    document.add_paragraph(body)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "查询码", "{tracking_code}"
    document.sections[0].header.paragraphs[0].text = "{agency} {number}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name: str = "红头.docx", data: bytes | None = None) -> ContentFile[bytes]:
    return ContentFile(docx_bytes() if data is None else data, name=name)


def issued(attachment: Attachment) -> DocxDocument:
    with attachment.file.open("rb") as f:
        return docx.Document(io.BytesIO(f.read()))


def stored_files(settings: Any) -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "letter_templates"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_uploaded_docx_is_filled_keeping_its_letterhead_and_formatting(
    tree: Tree, new_request: NewRequest, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    request = new_request()
    row = upload_template_docx(tree.head, tree.street, "receipt", "", upload())
    entry = AuditLog.objects.get(action="letter_template.docx_upload")
    assert entry.before is None and entry.after is not None
    assert entry.after["docx"] == row.docx.name and entry.after["kind"] == "receipt"
    assert row.docx.name.startswith("letter_templates/") and len(stored_files(settings)) == 1

    letter = issued(issue_letter(tree.handle, request, "receipt", ON, "东街公开〔2025〕7号"))
    head = letter.paragraphs[0].runs[0]
    assert head.text == "东湖街道办事处文件" and head.bold and head.font.color.rgb == RED
    addressee = letter.paragraphs[1]
    assert addressee.text == "张三丰：" and addressee.runs[0].text == "张三丰" and addressee.runs[0].bold
    assert letter.paragraphs[2].text == "本机关于2025年3月3日收到您的申请。"
    assert letter.tables[0].cell(0, 1).text == request.tracking_code_grouped
    assert letter.sections[0].header.paragraphs[0].text == "东湖街道办事处 东街公开〔2025〕7号"
    assert "登记回执" not in "\n".join(p.text for p in letter.paragraphs)  # the agency's layout, not ours

    with django_capture_on_commit_callbacks(execute=True):
        assert remove_template_docx(tree.head, tree.street, "receipt", "") is None
    assert AuditLog.objects.get(action="letter_template.docx_remove").after is None
    assert stored_files(settings) == [] and not LetterTemplate.objects.exists()
    assert "政府信息公开申请登记回执" in letter_text(issue_letter(tree.handle, request, "receipt", ON))


def test_the_most_specific_template_decides_between_docx_and_text(
    tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    upload_template_docx(tree.head, tree.street, "answer", "", upload())
    save_template(tree.head, tree.street, "answer", "rejected", "{applicant}：\n不予处理（{outcome}）。")
    services.answer(tree.approve, request, "rejected_petition", "条例第三十九条", ON)
    assert "不予处理（信访举报投诉类申请）" in letter_text(issue_letter(tree.handle, request, "answer", ON))
    other = new_request()
    services.answer(tree.approve, other, "disclosed", "条例第三十六条", ON)
    assert "东湖街道办事处文件" in letter_text(issue_letter(tree.handle, other, "answer", ON))


def test_an_emptied_body_keeps_the_docx_and_removing_the_docx_returns_to_the_body(
    tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    save_template(tree.head, tree.street, "receipt", "", "{applicant}：\n本街道已收到。")
    upload_template_docx(tree.head, tree.street, "receipt", "", upload())
    assert "东湖街道办事处文件" in letter_text(issue_letter(tree.handle, request, "receipt", ON))
    remove_template_docx(tree.head, tree.street, "receipt", "")
    assert "本街道已收到" in letter_text(issue_letter(tree.handle, request, "receipt", ON))
    upload_template_docx(tree.head, tree.street, "receipt", "", upload())
    row = save_template(tree.head, tree.street, "receipt", "", "")
    assert row is not None and row.docx and row.body == ""
    with pytest.raises(ServiceError):
        remove_template_docx(tree.head, tree.street, "supplement", "")  # nothing uploaded there


def test_multi_line_values_become_line_breaks_and_unknown_placeholders_stay() -> None:
    filled = letter_docx.fill(
        docx_bytes("计算如下：{fee_lines}{unknown}"), {"fee_lines": "复印 10 页\r\n邮寄 1 件"}
    )
    paragraph = docx.Document(io.BytesIO(filled)).paragraphs[2]
    assert paragraph.text == "计算如下：复印 10 页\n邮寄 1 件{unknown}"
    assert len(paragraph.runs[0]._r.findall(qn("w:br"))) == 1


def _zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("word/other.xml", "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("actor", "file", "says"),
    [
        ("head", ContentFile(b"not a word file", name="x.docx"), "不是有效的 DOCX"),
        ("head", ContentFile(_zip_without_document(), name="x.docx"), "不是有效的 DOCX"),
        (
            "head",
            ContentFile(docx_bytes("请于{fee_due}前缴纳。{non" + "sense}"), name="x.docx"),
            "{nonsense}",
        ),
        ("head", ContentFile(docx_bytes("{申请人}"), name="x.docx"), "{申请人}"),
        ("head", ContentFile(b"0" * (5 * 1024 * 1024 + 1), name="big.docx"), "不能超过 5 MB"),
        ("head", None, "请选择"),
        ("handle", ContentFile(docx_bytes(), name="x.docx"), "没有维护本机关文书模板的权限"),
        ("other_approver", ContentFile(docx_bytes(), name="x.docx"), "没有维护本机关文书模板的权限"),
    ],
)
def test_a_refused_upload_changes_nothing(
    tree: Tree, settings: Any, actor: str, file: ContentFile[bytes] | None, says: str
) -> None:
    save_template(tree.head, tree.street, "receipt", "", "{applicant}：\n本街道已收到。")
    before = (list(LetterTemplate.objects.values()), AuditLog.objects.count(), stored_files(settings))
    user = tree.other_approver if actor == "other_approver" else getattr(tree, actor)
    with pytest.raises(ServiceError) as raised:
        upload_template_docx(user, tree.street, "receipt", "", file)
    assert says in raised.value.zh
    assert (list(LetterTemplate.objects.values()), AuditLog.objects.count(), stored_files(settings)) == before


def test_a_split_unknown_placeholder_is_recognised() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("{non").bold = True
    paragraph.add_run("sense}")
    out = io.BytesIO()
    document.save(out)
    assert letter_docx.placeholders(out.getvalue()) == ["{nonsense}"]


def test_letter_template_page_uploads_and_removes_a_docx(
    client: Client, tree: Tree, new_request: NewRequest, settings: Any
) -> None:
    client.force_login(tree.head)
    page = client.get("/letters/templates/?kind=receipt").content.decode()
    assert 'enctype="multipart/form-data"' in page and "未上传 DOCX 模板" in page
    where = {"agency": tree.street.pk, "kind": "receipt", "outcome": ""}
    bad = SimpleUploadedFile("红头.docx", docx_bytes("{nonsense}"))
    response = client.post("/letters/templates/", {**where, "action": "upload", "docx": bad})
    assert response.status_code == 400 and "无法识别的占位符" in response.content.decode()
    assert not LetterTemplate.objects.exists() and stored_files(settings) == []

    good = SimpleUploadedFile("红头.docx", docx_bytes(), content_type=DOCX_TYPE)
    assert client.post("/letters/templates/", {**where, "action": "upload", "docx": good}).status_code == 302
    assert AuditLog.objects.filter(action="letter_template.docx_upload", actor=tree.head).count() == 1
    page = client.get(f"/letters/templates/?agency={tree.street.pk}&kind=receipt").content.decode()
    assert "已上传 DOCX 模板" in page and "删除 DOCX 模板" in page
    request = new_request()
    assert "东湖街道办事处文件" in letter_text(issue_letter(tree.handle, request, "receipt", ON))

    client.force_login(tree.handle)
    again = SimpleUploadedFile("红头.docx", docx_bytes())
    assert client.post("/letters/templates/", {**where, "action": "upload", "docx": again}).status_code == 403
    assert client.post("/letters/templates/", {**where, "action": "remove_docx"}).status_code == 403

    client.force_login(tree.head)
    assert client.post("/letters/templates/", {**where, "action": "remove_docx"}).status_code == 302
    assert AuditLog.objects.filter(action="letter_template.docx_remove").count() == 1
    assert "政府信息公开申请登记回执" in letter_text(issue_letter(tree.handle, request, "receipt", ON))


def _lines(data: bytes) -> list[str]:
    """What a DOCX says, line by line (a line break inside a paragraph counts as a new line)."""
    return [line.strip() for p in letter_docx.paragraphs(data) for line in p.splitlines() if line.strip()]


@pytest.mark.parametrize("kind", list(LetterKind))
def test_the_starter_docx_uploaded_as_it_is_says_what_the_text_template_says(
    tree: Tree, new_request: NewRequest, kind: LetterKind
) -> None:
    request = new_request()
    prepared(tree, request, kind)
    by_text = issue_letter(tree.handle, request, kind, ON, "东街公开〔2025〕2号")
    request.refresh_from_db()  # the answer's outcome picks the default wording
    starter = letters.starter_docx(kind, letters.default_body(kind, request.outcome or ""))
    upload_template_docx(tree.head, tree.street, kind, "", upload("starter.docx", starter))
    by_docx = issue_letter(tree.handle, request, kind, ON, "东街公开〔2025〕2号")
    with by_text.file.open("rb") as text_file, by_docx.file.open("rb") as docx_file:
        assert _lines(docx_file.read()) == _lines(text_file.read())


def test_the_template_page_hands_out_the_template_as_a_docx(client: Client, tree: Tree) -> None:
    client.force_login(tree.head)
    where = f"agency={tree.street.pk}&kind=answer&outcome=disclosed"
    assert "/letters/templates/docx/?" in client.get(f"/letters/templates/?{where}").content.decode()
    response = client.get(f"/letters/templates/docx/?{where}")
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="template-{tree.street.pk}-answer-disclosed.docx"'
    )
    said = "\n".join(letter_docx.paragraphs(response.content))
    assert "政府信息公开申请答复书" in said and "{applicant}：" in said and "{legal_basis}" in said
    assert "{number}" in said and "{date}" in said

    own = docx_bytes()
    upload_template_docx(tree.head, tree.street, "answer", "disclosed", upload(data=own))
    assert client.get(f"/letters/templates/docx/?{where}").content == own

    forged = client.get(f"/letters/templates/docx/?agency={tree.street.pk}&kind=receipt&outcome=%22x")
    assert forged["Content-Disposition"] == f'attachment; filename="template-{tree.street.pk}-receipt.docx"'
    client.force_login(tree.handle)
    assert client.get(f"/letters/templates/docx/?{where}").status_code == 403
