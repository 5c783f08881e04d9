"""Letters: each kind is a DOCX that python-docx opens and that says what the applicant must know."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from django.test import Client

from gongkai.web.desk import services
from gongkai.web.desk.models import Attachment, AuditLog, EventKind, LetterKind, Request, RequestEvent
from gongkai.web.desk.services import ServiceError
from gongkai.web.desk.services.letters import issue_letter, save_template

from .conftest import Tree

NewRequest = Callable[..., Request]
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
    elif kind == LetterKind.ANSWER:
        services.answer(
            tree.approve, request, "disclosed", "《中华人民共和国政府信息公开条例》第三十六条", ON
        )


ESSENTIALS = {
    LetterKind.RECEIPT: ("政府信息公开申请登记回执", "张三丰：", "2025年3月3日", "2025年3月31日", "查询码"),
    LetterKind.SUPPLEMENT: ("补正告知书", "请写明文件的文号", "2025年3月14日", "视为放弃申请"),
    LetterKind.EXTENSION: ("延期答复告知书", "需要调取档案", "延长10个工作日", "2025年4月15日"),
    LetterKind.CONSULTATION: ("意见征询函", "某建设有限公司：", "第三十二条"),
    LetterKind.FEE: ("收费通知书", "信息处理费", "元", "按量计收"),
    LetterKind.ANSWER: ("答复书", "予以公开", "第三十六条", "行政复议", "行政诉讼"),
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
        assert request.tracking_code in text
    if kind == LetterKind.CONSULTATION:
        assert (
            "张三丰" not in text and "110101199001011234" not in text
        )  # the third party learns no applicant
    event = request.events.get(kind=EventKind.LETTER_ISSUED)
    assert event.data["letter"] == kind and event.date == ON
    assert AuditLog.objects.filter(request=request, action="request.letter_issued").count() == 1
    assert AuditLog.objects.filter(request=request, action="attachment.add").count() == 1


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
    assert "本街道已收到" in text and request.tracking_code in text and "{unknown}" in text
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
    for kind in ("supplement", "extension", "fee", "consultation", "answer"):
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
