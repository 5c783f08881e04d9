"""The catalogue settings page edits the areas covered, the ones not covered and each area's
一级/二级事项, through the audited settings service."""

from __future__ import annotations

from typing import Any

from django.test import Client

from gongkai.web.core.models import AuditLog
from gongkai.web.proactive.models import RegisterSettings

from ..conftest import Tree

FORM: dict[str, Any] = {
    "covered": ["social_assistance", "employment"],
    "not_applicable": "涉农补贴：辖区无农业生产经营主体。",
    "matters": "社会救助：最低生活保障—城市低保对象认定\n社会救助：临时救助\n就业：公益性岗位招聘",
    "index_rule": "{org_code}-{year}-{seq:04d}",
    "org_code": "DH",
    "review_chain": "初审：承办\n终审：负责人",
    "table_two": "on",
}


def test_the_admin_edits_the_matters_of_each_covered_area(
    tree: Tree, register: RegisterSettings, client: Client
) -> None:
    url = f"/register/settings/{tree.street.pk}/"
    client.force_login(tree.admin)
    assert client.post(url, FORM).status_code == 302
    saved = RegisterSettings.objects.get(agency=tree.street).catalogue
    assert saved["matters"] == {
        "social_assistance": [
            {"level1": "最低生活保障", "level2": "城市低保对象认定"},
            {"level1": "临时救助", "level2": ""},
        ],
        "employment": [{"level1": "公益性岗位招聘", "level2": ""}],
    }
    assert saved["not_applicable"] == {"farm_subsidies": "辖区无农业生产经营主体。"}
    page = client.get(url).content.decode()
    assert "社会救助：最低生活保障—城市低保对象认定" in page  # shown back as entered
    logged = AuditLog.objects.filter(action="register.settings").order_by("-pk").first()
    assert logged is not None and logged.actor == tree.admin
    assert "城市低保对象认定" in str(logged.after) and "城市低保对象认定" not in str(logged.before)


def test_a_matter_of_an_area_not_covered_or_unknown_is_refused(
    tree: Tree, register: RegisterSettings, client: Client
) -> None:
    url = f"/register/settings/{tree.street.pk}/"
    client.force_login(tree.admin)
    before = RegisterSettings.objects.get(agency=tree.street).catalogue
    uncovered = client.post(url, {**FORM, "matters": "安全生产：隐患排查"})
    assert uncovered.status_code == 200 and "未列为公开领域" in uncovered.content.decode()
    unknown = client.post(url, {**FORM, "matters": "天文观测：星图"})
    assert unknown.status_code == 200 and "未知的领域：天文观测" in unknown.content.decode()
    assert RegisterSettings.objects.get(agency=tree.street).catalogue == before
