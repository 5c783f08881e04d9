"""Annual report pages: tables with findings, figures, drafts, publishing, exports."""

from __future__ import annotations

import io
import json
import re

import docx
from django.test import Client

from gongkai.web.core.models import AuditLog
from gongkai.web.reports import services
from gongkai.web.reports.models import AnnualReport, ProactiveFigures, ReportStatus
from gongkai.writing.narrative import DRAFT_MARK

from ..conftest import NewRequest, Tree


def url(tree: Tree, suffix: str = "") -> str:
    return f"/reports/{tree.street.pk}/2025/{suffix}"


def test_report_page_shows_tables_and_findings(client: Client, tree: Tree, new_request: NewRequest) -> None:
    new_request()
    client.force_login(tree.handle)
    html = client.get(url(tree)).content.decode()
    for text in (
        'id="table-proactive"',
        'id="table-requests"',
        'id="table-appeals"',
        "检查结果",
        "错误",
        "<th scope",
    ):
        assert text in html
    assert "东湖街道办事处2025年政府信息公开工作年度报告" in html
    assert client.get("/reports/").status_code == 200
    assert client.get(f"/reports/?agency={tree.street.pk}&year=2025")["Location"] == url(tree)


def test_exports_through_the_writers(client: Client, tree: Tree, new_request: NewRequest) -> None:
    new_request()
    client.force_login(tree.handle)
    response = client.get(url(tree, "export/docx/"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "东湖街道办事处2025年政府信息公开工作年度报告" in text
    data = json.loads(client.get(url(tree, "export/json/")).content)
    assert data["requests"]["received"]["natural_person"] == 1
    assert client.get(url(tree, "export/xlsx/")).status_code == 200
    assert client.get(url(tree, "export/exe/")).status_code == 404


def test_scope_and_year_bounds(client: Client, tree: Tree) -> None:
    client.force_login(tree.outsider)
    assert client.get(url(tree)).status_code == 404
    assert client.get(url(tree, "export/docx/")).status_code == 404
    client.force_login(tree.supervise)
    assert client.get(f"/reports/{tree.district.pk}/2025/?rollup=1").status_code == 200
    assert client.get(f"/reports/{tree.district.pk}/2099/").status_code == 404


def test_figures_are_saved_and_bad_ones_refused(client: Client, tree: Tree) -> None:
    client.force_login(tree.handle)
    assert client.post(url(tree), {"op": "figures", "rules.issued": "-1"}).status_code == 400
    assert not ProactiveFigures.objects.exists()
    data = {"op": "figures", "rules.issued": "2", "fees.amount_10k_yuan": "1.25"}
    assert client.post(url(tree), data).status_code == 302
    figures = ProactiveFigures.objects.get()
    assert figures.data["rules"]["issued"] == 2 and figures.data["fees"]["amount_10k_yuan"] == "1.25"
    assert 'data-cell="proactive.rules.issued">2<' in client.get(url(tree)).content.decode()


def test_draft_publish_and_frozen(client: Client, tree: Tree, new_request: NewRequest) -> None:
    new_request()
    client.force_login(tree.handle)
    page = client.get(url(tree)).content.decode()
    assert DRAFT_MARK in page
    narrative = {"part_一": "本年度，本街道依法办理政府信息公开申请。", "part_五": "无。", "part_六": "无。"}
    assert client.post(url(tree), {"op": "save", **narrative}).status_code == 302
    saved = AnnualReport.objects.get()
    assert saved.status == ReportStatus.DRAFT and saved.data["sections"]["一"].startswith("本年度")
    assert client.post(url(tree), {"op": "publish", **narrative}).status_code == 403  # 承办 cannot publish
    client.force_login(tree.head)
    drafted = {**narrative, "part_五": DRAFT_MARK}
    client.post(url(tree), {"op": "publish", **drafted})
    assert AnnualReport.objects.get().status == ReportStatus.DRAFT
    # Publishing saves the draft and asks for confirmation against its checks; nothing is frozen yet.
    response = client.post(url(tree), {"op": "publish", **narrative})
    assert response.status_code == 302 and response["Location"] == url(tree, "publish/")
    assert AnnualReport.objects.get().status == ReportStatus.DRAFT
    confirm = client.get(url(tree, "publish/")).content.decode()
    assert "确认发布" in confirm and "R12" in confirm  # the 2025 report is late today: a warning
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', confirm)
    names = re.findall(r'name="ack" value="([^"]+)"', confirm)
    assert digest is not None and any(n.startswith("R12:") for n in names)
    refused = client.post(url(tree, "publish/"), {"digest": digest[1], "ack": names[1:]})
    assert refused.status_code == 400 and "未确认知悉" in refused.content.decode()
    assert AnnualReport.objects.get().status == ReportStatus.DRAFT
    done = client.post(url(tree, "publish/"), {"digest": digest[1], "ack": names})
    assert done.status_code == 302 and AnnualReport.objects.get().status == ReportStatus.PUBLISHED
    frozen = client.get(url(tree)).content.decode()
    assert "内容已冻结" in frozen and 'value="publish"' not in frozen
    entries = AuditLog.objects.count()
    client.post(url(tree), {"op": "save", "part_一": "改动"})
    assert AuditLog.objects.count() == entries
    assert AnnualReport.objects.get().data["sections"]["一"].startswith("本年度")


def test_errors_block_publishing_on_the_confirmation(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    new_request()
    # Last year's report carried 5 requests forward; this year's records carry none over (R5).
    last = services.build_annual_report(tree.street, 2024)
    last.requests["carried_forward"]["total"] = 5
    AnnualReport.objects.create(agency=tree.street, year=2024, data=last.to_json())
    client.force_login(tree.head)
    narrative = {"part_一": "本年度依法办理申请。", "part_五": "无。", "part_六": "无。"}
    client.post(url(tree), {"op": "publish", **narrative})
    confirm = client.get(url(tree, "publish/")).content.decode()
    assert "不能发布" in confirm and 'id="publish-confirm"' not in confirm
    assert "R5" in confirm
    forced = client.post(url(tree, "publish/"), {"digest": "x", "ack": []})
    assert forced.status_code == 400
    assert AnnualReport.objects.get(year=2025).status == ReportStatus.DRAFT
