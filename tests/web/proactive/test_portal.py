"""The public disclosure pages: what a visitor without an account sees of the register."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from django.test import Client

from gongkai.web.proactive import services
from gongkai.web.proactive.models import Item, RegisterSettings

from ..conftest import Tree
from .conftest import NewItem, publish

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_published_item_is_public_and_a_draft_is_not(tree: Tree, new_item: NewItem, client: Client) -> None:
    published = publish(tree, new_item())
    draft = new_item(title="尚未审核的草稿事项")
    page = client.get(f"/public/{tree.street.pk}/items/{published.pk}/")
    assert page.status_code == 200
    assert published.title in page.content.decode() and published.index_number in page.content.decode()
    assert client.get(f"/public/{tree.street.pk}/items/{draft.pk}/").status_code == 404
    assert client.get(f"/public/{tree.other.pk}/items/{published.pk}/").status_code == 404
    catalogue = client.get(f"/public/{tree.street.pk}/catalogue/").content.decode()
    assert "社会救助" in catalogue and "（1条）" in catalogue and "涉农补贴" in catalogue
    area = client.get(f"/public/{tree.street.pk}/catalogue/social_assistance/").content.decode()
    assert published.title in area and draft.title not in area


def test_a_withdrawn_item_shows_its_notice_and_not_its_text(
    tree: Tree, new_item: NewItem, client: Client
) -> None:
    item = services.withdraw(tree.head, publish(tree, new_item()), "数据有误", today=date(2025, 4, 1))
    text = client.get(f"/public/{tree.street.pk}/items/{item.pk}/").content.decode()
    assert "本信息已于2025年4月1日撤回" in text and "数据有误" in text
    assert item.body not in text


def test_the_guide_is_written_from_the_settings(
    tree: Tree, register: RegisterSettings, client: Client
) -> None:
    text = client.get(f"/public/{tree.street.pk}/guide/").content.decode()
    assert register.address in text and register.phone in text and register.hours in text
    assert "20个工作日" in text and "第二十六条" in text and "第四十二条" in text
    assert "社会救助" in text  # the catalogue's areas
    system = client.get(f"/public/{tree.street.pk}/system/").content.decode()
    assert "初审、复审、终审" in system
    assert client.get(f"/public/{tree.other.pk}/guide/").status_code == 404  # no register


def test_search_feed_and_sitemap_list_only_published_items(
    tree: Tree, new_item: NewItem, client: Client
) -> None:
    published = publish(tree, new_item())
    draft = new_item(title="2025年3月最低生活保障待审名单")
    found = client.get("/public/search/", {"q": "最低生活保障"}).content.decode()
    assert published.title in found and draft.title not in found
    feed = ElementTree.fromstring(client.get("/public/feed.atom").content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == [published.title]
    index = client.get("/public/sitemap.xml").content.decode()
    assert "sitemap-items.xml" in index
    items = client.get("/public/sitemap-items.xml").content.decode()
    assert f"/public/{tree.street.pk}/items/{published.pk}/" in items
    assert f"/items/{draft.pk}/" not in items


def test_public_attachments_are_the_scrubbed_files_and_only_once_published(
    tree: Tree, new_item: NewItem, client: Client
) -> None:
    import io

    from docx import Document

    document = Document()
    document.core_properties.author = "王秘书"
    document.add_paragraph("发放标准")
    buffer = io.BytesIO()
    document.save(buffer)
    item = new_item()
    attachment = services.add_attachment(tree.register, item, "标准.docx", buffer.getvalue())
    url = f"/public/{tree.street.pk}/items/{item.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 404
    publish(tree, Item.objects.get(pk=item.pk))
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert Document(io.BytesIO(body)).core_properties.author != "王秘书"


def test_the_admin_sets_the_catalogue_chain_and_guide_and_others_may_not(
    tree: Tree, register: RegisterSettings, client: Client
) -> None:
    url = f"/register/settings/{tree.street.pk}/"
    client.force_login(tree.head)
    assert client.get(url).status_code == 404
    client.force_login(tree.admin)
    page = client.get(url).content.decode()
    assert "初审：承办" in page and "涉农补贴：" in page
    form = {
        "covered": ["social_assistance", "employment"],
        "not_applicable": "涉农补贴：辖区无农业生产经营主体。",
        "index_rule": "{org_code}-{year}-{seq:04d}",
        "org_code": "DH",
        "review_chain": "初审：承办\n终审：负责人",
        "table_two": "on",
        "address": "东湖路9号",
    }
    assert client.post(url, form).status_code == 302
    saved = RegisterSettings.objects.get(agency=tree.street)
    assert saved.review_chain == [["初审", "handle"], ["终审", "approve_extension"]]
    assert saved.catalogue["covered"] == ["social_assistance", "employment"]
    assert "东湖路9号" in client.get(f"/public/{tree.street.pk}/guide/").content.decode()
    item = services.create_item(
        tree.register,
        tree.street,
        title="标题",
        area="employment",
        channels=["website"],
        formed=date(2025, 3, 3),
    )
    assert item.index_number == "DH-2025-0001"
    bad = client.post(url, {**form, "review_chain": "初审：局长"})
    assert bad.status_code == 200 and "未知的岗位" in bad.content.decode()
    assert client.post(url, {**form, "index_rule": "{year}-{nope}"}).status_code == 200
    assert RegisterSettings.objects.get(agency=tree.street).index_rule == "{org_code}-{year}-{seq:04d}"
