"""The supervisor's desk clicked through in headless Chromium: an agency fills the official form
online (live arithmetic, a row pasted from Excel), the gate refuses a broken sum, it files, the
supervisor returns it, it is fixed and accepted; a ZIP of the corpus is collected, missing and late
agencies are listed, a finding dismissed, a misread cell clicked in the official layout and corrected
beside its source, the checks re-run and the dismissal is still there; a PDF's cell is clicked and
corrected beside the image of its page region."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from gongkai.formats import CellRef
from gongkai.report import Report
from gongkai.web.agencies.models import Level, Membership, Role
from gongkai.web.oversight import services
from gongkai.web.oversight.models import FindingDecision, Status, Submission

from .conftest import PASSWORD, Desk, _agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))
YEAR = 2024


def supervisor(desk: Desk) -> None:
    user = User.objects.create_user("supervise_user", password=PASSWORD)
    Membership.objects.create(user=user, agency=desk.district, role=Role.SUPERVISE)


def paste(page: Page, selector: str, text: str) -> None:
    """What Excel puts on the clipboard, pasted into one cell."""
    page.locator(selector).evaluate(
        """(field, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const init = {clipboardData: data, bubbles: true, cancelable: true};
            field.dispatchEvent(new ClipboardEvent("paste", init));
        }""",
        text,
    )


def cell(key: str) -> str:
    return f'input[name="{key}"]'


def test_file_online_gate_return_fix_accept(desk: Desk) -> None:
    supervisor(desk)
    head = desk.login("approve_extension")
    head.goto(f"{desk.url}/oversight/")
    head.get_by_role("button", name="报送").click()
    head.wait_for_url(f"**/oversight/file/{desk.street.pk}/*/")
    head.goto(f"{desk.url}/oversight/file/{desk.street.pk}/{YEAR}/")
    head.locator("#open-form").click()
    expect(head.locator("#live-summary")).to_have_text("勾稽关系相符")

    # A row copied from Excel whose total is short: the total is marked as it is pasted.
    paste(head, cell("requests.received.natural_person"), "3\t0\t0\t0\t0\t0\t2\r\n")
    expect(head.locator(cell("requests.received.commercial"))).to_have_value("0")
    expect(head.locator(cell("requests.received.total"))).to_have_value("2")
    expect(head.locator(cell("requests.received.total"))).to_have_class("error")
    expect(head.locator("#live-summary")).to_contain_text("不符")

    # Filed anyway: the gate refuses it and nothing is stored.
    head.check("#acknowledged")
    head.get_by_role("button", name="报送", exact=True).click()
    expect(head.locator(".messages")).to_contain_text("须改正")
    assert not Submission.objects.exists()

    # Fixed: the total, and the three requests answered (a column pasted down 总计 and disclosed).
    head.fill(cell("requests.received.total"), "3")
    for row in ("disclosed", "handled_total"):
        paste(head, cell(f"requests.{row}.natural_person"), "3\t0\t0\t0\t0\t0\t3")
    expect(head.locator("#live-summary")).to_have_text("勾稽关系相符")
    head.check("#acknowledged")
    head.get_by_role("button", name="报送", exact=True).click()
    expect(head.locator("#status")).to_have_text("已报送待审")
    submission = Submission.objects.get(agency=desk.street, year=YEAR)
    assert submission.current is not None and submission.current.data["requests"]["received"]["total"] == 3

    # The supervisor returns it with a comment.
    boss = desk.login("supervise")
    boss.goto(f"{desk.url}/oversight/region/{desk.district.pk}/{YEAR}/")
    boss.get_by_role("link", name=desk.street.name).click()
    boss.fill("#review-comment", "第五部分请写明存在的主要问题")
    boss.get_by_role("button", name="退回修改").click()
    expect(boss.locator("#status")).to_have_text("已退回")

    # The agency sees why, fixes part 五 and files again.
    head.goto(f"{desk.url}/oversight/file/{desk.street.pk}/{YEAR}/")
    expect(head.locator("#comment")).to_contain_text("第五部分")
    head.locator("#open-form").click()
    head.fill("#section-五", "存在的主要问题：主动公开内容更新不够及时。改进情况：建立月度检查制度。")
    head.check("#acknowledged")
    head.get_by_role("button", name="报送", exact=True).click()
    expect(head.locator("#status")).to_have_text("已报送待审")

    boss.reload()
    boss.get_by_role("button", name="接收").click()
    expect(boss.locator("#status")).to_have_text("已接收")
    submission.refresh_from_db()
    assert submission.status == Status.ACCEPTED and submission.versions.count() == 2


def _zip(paths: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, f"语料/{path.name}")
    return buffer.getvalue()


def test_collect_a_zip_list_missing_and_late_dismiss_correct_recheck(desk: Desk, tmp_path: Path) -> None:
    supervisor(desk)
    golds = {p: json.loads(p.with_suffix("").with_suffix(".gold.json").read_text()) for p in SEEDS}
    for gold in golds.values():
        _agency(gold["agency"], Level.TOWNSHIP, "township", desk.district)
    year = 2023
    archive = tmp_path / "corpus.zip"
    archive.write_bytes(_zip(SEEDS))

    page = desk.login("supervise")
    page.goto(f"{desk.url}/oversight/region/{desk.district.pk}/{year}/")
    page.get_by_role("link", name="批量收集报告").click()
    page.set_input_files("#files", str(archive))
    page.get_by_role("button", name="上传并读取").click()
    expect(page.locator(".messages")).to_contain_text(f"读取 {len(SEEDS)} 个文件")
    page.get_by_role("button", name="确认全部已识别机关的文件").click()
    expect(page.get_by_text("没有待确认的文件")).to_be_visible()
    assert Submission.objects.count() == len(SEEDS)

    # Uploading the same ZIP again finds nothing new.
    page.set_input_files("#files", str(archive))
    page.get_by_role("button", name="上传并读取").click()
    expect(page.locator(".messages")).to_contain_text(f"重复 {len(SEEDS)} 个")
    expect(page.locator(".messages")).to_contain_text(f"该文件已存为{golds[SEEDS[0]]['agency']}的")

    page.goto(f"{desk.url}/oversight/region/{desk.district.pk}/{year}/")
    on_year = sorted(g["agency"] for g in golds.values() if g["year"] == year)
    others = sorted(g["agency"] for g in golds.values() if g["year"] != year)
    expect(page.locator("#n-reported")).to_have_text(str(len(on_year)))
    for name in [*others, desk.street.name]:
        expect(page.locator("#missing")).to_contain_text(name)
    for name in on_year:  # collected now, long after 31 January
        expect(page.locator("#late")).to_contain_text(name)

    # A finding dismissed with a reason, before anything else is touched.
    inferred = next(p for p in SEEDS if p.name.startswith("001_"))
    gold = golds[inferred]
    sub = Submission.objects.get(agency__name=gold["agency"])
    page.goto(f"{desk.url}/oversight/report/{sub.pk}/")
    expect(page.get_by_text("X-INFERRED")).to_be_visible()
    item = page.locator("li[data-fingerprint]", has_text="T-LABEL").filter(has_text="机关填报").first
    fingerprint = item.get_attribute("data-fingerprint")
    item.locator("input[name=comment]").fill("“禁止公开”为常见的标签写法，不视为问题")
    item.get_by_role("button", name="不予采纳").click()
    dismissed = page.locator(f'li[data-fingerprint="{fingerprint}"] .decision')
    expect(dismissed).to_contain_text("不予采纳")

    # The misread cell clicked in the official layout: its source beside it, corrected there.
    key = "requests.unavailable_not_held.natural_person"
    page.locator(f'td[data-cell="{key}"] a').click()
    expect(page.locator("#nearby")).to_be_visible()  # inferred: not in the file, shown by its row
    expect(page.locator("#source-excerpt tr.here")).to_contain_text("本机关不掌握相关政府信息")
    page.fill("#value", str(gold["requests"]["unavailable_not_held"]["natural_person"]))
    page.get_by_role("button", name="更正", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("生成新版本")
    expect(page.get_by_text("X-INFERRED")).to_have_count(0)
    expect(page.locator("#h-versions + table")).to_contain_text("v2")
    expect(dismissed).to_contain_text("常见的标签写法")  # the dismissal elsewhere is still there

    # The checks run again; the dismissal stays.
    page.get_by_role("button", name="重新检查").click()
    expect(page.locator("#h-versions + table")).to_contain_text("v3")
    expect(dismissed).to_contain_text("常见的标签写法")
    assert FindingDecision.objects.filter(submission=sub, decision="dismissed").count() == 1


def test_a_pdf_cell_clicked_shows_its_page_region_and_is_corrected(desk: Desk) -> None:
    supervisor(desk)
    pdf = CORPUS / "real" / "hzq2024_working.pdf"
    boss = User.objects.get(username="supervise_user")
    done = services.collect(boss, desk.district, YEAR, [(pdf.name, pdf.read_bytes())])
    upload = done.uploads[0]
    sub = services.confirm(boss, upload, desk.street, upload.year)
    assert sub.current is not None
    report = Report.from_json(sub.current.data)
    key = next(k for k, where in report.provenance.items() if "bbox" in where and k.startswith("requests."))
    value = report.get(CellRef(*key.split(".")))
    fixed = (value if isinstance(value, int) else 0) + 1

    page = desk.login("supervise")
    page.goto(f"{desk.url}/oversight/report/{sub.pk}/")
    page.locator(f'td[data-cell="{key}"] a').click()
    image = page.locator("#source-image")
    expect(image).to_be_visible()
    # decode() waits for the server's render and fails if the image is broken.
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth > 0 && img.naturalHeight > 0)")
    page.fill("#value", str(fixed))
    page.get_by_role("button", name="更正", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("生成新版本")
    expect(page.locator(f'td[data-cell="{key}"]')).to_have_text(str(fixed))
    sub.refresh_from_db()
    assert (
        sub.current is not None and Report.from_json(sub.current.data).get(CellRef(*key.split("."))) == fixed
    )
