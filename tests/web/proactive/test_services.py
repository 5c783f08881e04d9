"""The register's services: 索引号, the review chain, the personal-data gate, withdrawal, search and
依申请转主动公开, each refused action leaving nothing changed."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from docx import Document

from gongkai.web.core.errors import Conflict, InvalidInput, PermissionDenied
from gongkai.web.core.models import AuditLog
from gongkai.web.proactive import selectors, services
from gongkai.web.proactive.models import Item, ItemState, ReviewEvent, SearchGram

from ..conftest import NewRequest, Tree
from .conftest import FORMED, NewItem, publish

ID_NUMBER = "11010519491231002X"  # a valid check digit
PHONE = "13812345678"


def test_index_numbers_follow_the_rule_and_count_per_area_and_year(new_item: NewItem) -> None:
    first, second = new_item(), new_item()
    other_area = new_item(area="employment")
    next_year = new_item(formed=date(2026, 1, 5)) if date.today() >= date(2026, 1, 5) else None
    assert first.index_number == "11410300MB0000000X/2025-03-00001"
    assert second.index_number == "11410300MB0000000X/2025-03-00002"
    assert other_area.index_number == "11410300MB0000000X/2025-05-00001"
    if next_year is not None:
        assert next_year.index_number.endswith("/2026-03-00001")


def test_an_area_outside_the_catalogue_is_refused(new_item: NewItem) -> None:
    with pytest.raises(InvalidInput) as raised:
        new_item(area="farm_subsidies")
    assert "不在本机关的公开目录中" in raised.value.zh


def test_three_reviews_publish_and_each_step_is_audited(tree: Tree, new_item: NewItem) -> None:
    item = new_item()
    services.submit(tree.register, item)
    with pytest.raises(PermissionDenied):
        services.approve(tree.approve, item)  # 复审 may not act at 初审
    item = services.approve(tree.handle, item, "初审同意")
    assert (item.state, item.step) == (ItemState.IN_REVIEW, 1)
    assert not selectors.public_items(tree.street).exists()
    item = services.approve(tree.approve, item)
    assert item.state == ItemState.IN_REVIEW
    item = services.approve(tree.head, item, "同意公开", today=date(2025, 3, 10))
    assert (item.state, item.published) == (ItemState.PUBLISHED, date(2025, 3, 10))
    assert list(selectors.public_items(tree.street)) == [item]
    actions = list(AuditLog.objects.filter(subject_id=str(item.pk)).values_list("action", flat=True))
    assert actions == ["register.create", "register.submit", *["register.approve"] * 3]
    trail = list(ReviewEvent.objects.filter(item=item).values_list("action", "step_name"))
    assert trail == [
        ("submit", ""),
        ("approve", "初审"),
        ("approve", "复审"),
        ("approve", "终审"),
        ("publish", ""),
    ]


def test_sending_back_restarts_the_chain_with_the_comment(tree: Tree, new_item: NewItem) -> None:
    item = new_item()
    services.submit(tree.register, item)
    item = services.approve(tree.handle, item)
    item = services.send_back(tree.approve, item, "请补充发放标准")
    assert (item.state, item.step) == (ItemState.RETURNED, 0)
    assert ReviewEvent.objects.filter(item=item, action="return", comment="请补充发放标准").exists()
    item = services.update_item(tree.register, item, **{**_fields(item), "body": "补充：每人每月800元。"})
    assert publish(tree, item).state == ItemState.PUBLISHED


def _fields(item: Item) -> dict[str, object]:
    return {
        f: getattr(item, f)
        for f in ("title", "body", "kind", "area", "channels", "formed", "matter1", "matter2", "publisher")
    }


def test_personal_data_blocks_approval_until_redacted_or_accepted(tree: Tree, new_item: NewItem) -> None:
    item = new_item(body=f"申请人王小明，身份证号{ID_NUMBER}，联系电话{PHONE}。")
    services.submit(tree.register, item)
    before = Item.objects.get(pk=item.pk).step
    with pytest.raises(Conflict) as raised:
        services.approve(tree.handle, item)
    assert "个人信息" in raised.value.zh and ID_NUMBER not in raised.value.zh
    assert Item.objects.get(pk=item.pk).step == before
    review = services.scan(item)
    kinds = {str(f.kind) for f in review.blocking}
    assert {"id_number", "mobile"} <= kinds
    id_hit = next(f for f in review.blocking if str(f.kind) == "id_number")
    item = services.redact_hit(tree.handle, item, id_hit.fingerprint)
    assert ID_NUMBER not in item.body
    for finding in services.scan(item).blocking:
        services.accept_hit(tree.handle, item, finding.fingerprint, "经办人办公电话，依职责公开")
    assert services.scan(item).may_publish
    assert publish_from_first(tree, item).state == ItemState.PUBLISHED


def publish_from_first(tree: Tree, item: Item) -> Item:
    for user in (tree.handle, tree.approve, tree.head):
        item = services.approve(user, item)
    return item


def test_an_attachment_loses_its_metadata_and_is_scanned(tree: Tree, new_item: NewItem) -> None:
    document = Document()
    document.core_properties.author = "王秘书"
    document.core_properties.comments = "内部意见"
    document.add_paragraph(f"联系人手机{PHONE}")
    buffer = io.BytesIO()
    document.save(buffer)
    item = new_item()
    attachment = services.add_attachment(tree.register, item, "公示.docx", buffer.getvalue())
    stored = Document(attachment.file.open("rb"))
    assert stored.core_properties.author != "王秘书"
    assert stored.core_properties.comments != "内部意见"
    assert attachment.removed
    services.submit(tree.register, item)
    with pytest.raises(Conflict):
        services.approve(tree.handle, item)
    hit = services.scan(item).blocking[0]
    assert "附件“公示.docx”" in services.maskable(item)
    services.redact_hit(tree.handle, item, hit.fingerprint)  # masked inside the DOCX itself
    attachment.refresh_from_db()
    stored = Document(attachment.file.open("rb"))
    assert PHONE not in "".join(p.text for p in stored.paragraphs) and PHONE not in attachment.text
    assert hit.masked in attachment.text and services.scan(item).may_publish
    logged = AuditLog.objects.filter(action="register.redact").last()
    assert logged is not None and logged.after["source"] == "附件“公示.docx”"
    assert PHONE not in str(logged.before) + str(logged.after)


def test_a_pdf_attachment_hit_is_not_masked_in_the_system_and_says_why(tree: Tree, new_item: NewItem) -> None:
    from tests.test_redaction import text_pdf

    item = new_item()
    services.add_attachment(tree.register, item, "名单.pdf", text_pdf(f"Phone {PHONE}"))
    services.submit(tree.register, item)
    hit = services.scan(item).blocking[0]
    assert "附件“名单.pdf”" not in services.maskable(item)
    with pytest.raises(InvalidInput) as refused:
        services.redact_hit(tree.handle, item, hit.fingerprint)
    assert "PDF" in refused.value.zh and "重新上传" in refused.value.zh


def test_withdrawal_keeps_the_item_with_its_notice_and_leaves_search(tree: Tree, new_item: NewItem) -> None:
    item = publish(tree, new_item())
    assert selectors.search_public("保障金").items == [item]
    with pytest.raises(PermissionDenied):
        services.withdraw(tree.handle, item, "内容有误")
    item = services.withdraw(tree.head, item, "发放数据有误，更正后重新公开", today=date(2025, 4, 1))
    assert (item.state, item.withdrawn) == (ItemState.WITHDRAWN, date(2025, 4, 1))
    assert selectors.public_item(tree.street, item.pk) == item
    assert selectors.search_public("保障金").items == []
    assert not SearchGram.objects.filter(item=item).exists()


def test_search_finds_a_chinese_phrase_and_nothing_unpublished(tree: Tree, new_item: NewItem) -> None:
    published = publish(tree, new_item())
    new_item(title="2025年3月临时救助审批情况公示", body="临时救助")  # a draft
    assert selectors.search_public("最低生活保障").items == [published]
    assert selectors.search_public("最低生活 惠及").items == [published]
    assert selectors.search_public("临时救助").items == []
    assert selectors.search_public("保障金发放情况公告").items == []  # all pieces, but not the phrase
    assert selectors.search_public("低").too_short


def test_an_answered_request_becomes_a_draft_item_without_the_applicant(
    tree: Tree, register: object, new_request: NewRequest
) -> None:
    request = new_request(content="申请公开张三丰所在东湖路拆迁补偿安置方案")
    with pytest.raises(Conflict):
        services.from_request(tree.handle, request)
    _answer(tree, request)
    item = services.from_request(tree.handle, request)
    assert item.source_request == request and item.state == ItemState.DRAFT
    assert "张三丰" not in item.title + item.body
    assert "拆迁补偿安置方案" in item.title
    with pytest.raises(Conflict):
        services.from_request(tree.handle, request)


def _answer(tree: Tree, request: object) -> None:
    from gongkai.web.requests import services as desk

    desk.answer(
        tree.approve, request, "disclosed", "《中华人民共和国政府信息公开条例》第三十六条第（二）项", FORMED
    )


def test_search_pages_with_a_cursor_over_bounded_walks(
    tree: Tree, new_item: NewItem, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = [publish(tree, new_item()) for _ in range(5)]
    other = publish(tree, new_item(title="2025年3月临时救助审批情况公示", body="临时救助"))
    whole = selectors.search_public("最低生活保障")
    assert whole.items == published[::-1] and whole.more is None  # newest registered first
    assert selectors.search_public("最低生活保障", tree.other).items == []  # another agency's search
    assert selectors.search_public("最低生活保障", tree.street).items == published[::-1]
    for name, value in (("PAGE", 2), ("WINDOW", 2), ("WALK", 2), ("MAX_WALK", 2)):
        monkeypatch.setattr(selectors, name, value)
    pages, cursor = [], None
    for _ in range(10):
        page = selectors.search_public("最低生活保障", before=cursor)
        assert len(page.items) <= 2
        pages.append(page.items)
        if page.more is None:
            break
        cursor = page.more
    assert [i for p in pages for i in p] == published[::-1] and len(pages) >= 3
    assert selectors.search_public("临时救助").items == [other]


def test_a_calendar_edit_moves_the_publication_due_dates_it_crosses(
    tree: Tree, new_item: NewItem, client: Client
) -> None:
    from gongkai.web.calendar import effects
    from gongkai.web.proactive.calendar_effects import publication_dues_near

    assert publication_dues_near in effects._WATCHERS
    item = new_item()  # formed on Monday 2025-03-03: due 20 working days later
    before = selectors.due(item).due
    client.force_login(tree.admin)
    response = client.post(
        "/calendar/", {"date": "2025-03-10", "is_workday": "0", "name": "临时休息日"}, follow=True
    )
    page = response.content.decode()
    after = selectors.due(item).due
    assert after > before
    assert "件待公开事项的公开期限已随之重新计算" in page and f"{before} → {after}" in page


def test_items_late_or_about_to_be_are_listed_with_their_due_dates(
    tree: Tree, register: object, client: Client
) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    late = services.create_item(
        tree.register,
        tree.street,
        title="逾期未公开的事项",
        channels=["website"],
        formed=today - timedelta(days=40),
    )
    fresh = services.create_item(
        tree.register, tree.street, title="刚形成的事项", channels=["website"], formed=today
    )
    listed = {item.pk: standing.status_zh for item, standing in selectors.needing_attention(tree.register)}
    assert listed == {late.pk: "已逾期未公开"}
    assert fresh.pk not in listed
    assert selectors.needing_attention(tree.outsider) == []  # another agency's register is not in scope
    client.force_login(tree.register)
    page = client.get("/register/").content.decode()
    assert "逾期未公开的事项" in page and "已逾期未公开" in page
