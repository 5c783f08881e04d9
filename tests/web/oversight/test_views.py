"""The supervisor's desk pages: scope, the review page with marked cells, filing, collection, exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import PIL.Image
import pyarrow.parquet
import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from gongkai.formats import CellRef
from gongkai.report import Report
from gongkai.web.oversight import band, services, sources
from gongkai.web.oversight.models import ReportVersion, Status, Submission, Upload
from gongkai.web.requests import services as req_services
from gongkai.writing import write

from ..conftest import RECEIVED as RECEIVED_ON
from ..conftest import NewRequest, Tree
from .conftest import CORPUS, RECEIVED, YEAR, broken, consistent


def filed(tree: Tree, report: Report | None = None) -> Submission:
    return services.submit(tree.head, tree.street, YEAR, report or consistent(tree), acknowledged=True)


def test_overview_is_the_supervisors_and_lists_who_is_missing(client: Client, tree: Tree) -> None:
    sub = filed(tree)
    client.force_login(tree.supervise)
    html = client.get(f"/oversight/region/{tree.district.pk}/{YEAR}/").content.decode()
    assert f'href="/oversight/report/{sub.pk}/"' in html
    missing = html.split('id="missing"')[1].split("</ul>")[0]
    assert tree.other.name in missing and tree.street.name not in missing
    assert client.get(f"/oversight/?region={tree.district.pk}&year={YEAR}").status_code == 302
    client.force_login(tree.head)  # files for the street, supervises nothing
    assert client.get(f"/oversight/region/{tree.district.pk}/{YEAR}/").status_code == 404
    assert client.get(f"/oversight/region/{tree.street.pk}/{YEAR}/").status_code == 404
    client.force_login(tree.outsider)
    assert client.get(f"/oversight/report/{sub.pk}/").status_code == 404


def test_review_page_marks_failing_cells_and_says_whose(client: Client, tree: Tree) -> None:
    sub = filed(tree)
    services.correct_cell(tree.supervise, sub, str(RECEIVED), "2")
    client.force_login(tree.supervise)
    html = client.get(f"/oversight/report/{sub.pk}/").content.decode()
    assert f'data-cell="{RECEIVED}" class="error"' in html
    assert "机关填报" in html and "v2" in html and "更正单元格" in html


def test_every_value_cell_links_to_correcting_it_beside_its_source(client: Client, tree: Tree) -> None:
    sub = filed(tree)
    client.force_login(tree.supervise)
    html = client.get(f"/oversight/report/{sub.pk}/").content.decode()
    cells = html.count("data-cell=")
    assert cells > 100 and html.count('class="cell-link"') == cells
    link = f'href="/oversight/report/{sub.pk}/cell/{RECEIVED}/"'
    assert link in html and "更正表三" in html.split(link)[1].split(">")[0]
    page = client.get(f"/oversight/report/{sub.pk}/cell/{RECEIVED}/").content.decode()
    assert 'name="value"' in page and "源文件中的位置" in page
    saved = client.post(
        f"/oversight/report/{sub.pk}/", {"op": "correct", "cell": str(RECEIVED), "value": "4"}
    )
    assert saved["Location"] == f"/oversight/report/{sub.pk}/#h-requests"
    sub.refresh_from_db()
    assert sub.current is not None and sub.current.data["requests"]["received"]["natural_person"] == 4
    client.force_login(tree.head)  # the filer sees the report, but corrects nothing
    assert 'class="cell-link"' not in client.get(f"/oversight/report/{sub.pk}/").content.decode()


def test_return_then_accept_through_the_page(client: Client, tree: Tree) -> None:
    sub = filed(tree)
    client.force_login(tree.supervise)
    page = f"/oversight/report/{sub.pk}/"
    client.post(page, {"op": "return", "comment": "请补充第五部分"})
    sub.refresh_from_db()
    assert sub.status == Status.RETURNED
    client.force_login(tree.head)
    assert "请补充第五部分" in client.get(f"/oversight/file/{tree.street.pk}/{YEAR}/").content.decode()
    assert client.post(page, {"op": "accept"}).status_code == 404  # the filer cannot review
    filed(tree)
    client.force_login(tree.supervise)
    client.post(page, {"op": "accept"})
    sub.refresh_from_db()
    assert sub.status == Status.ACCEPTED


def test_the_online_form_refuses_a_broken_sum_and_files_a_consistent_one(client: Client, tree: Tree) -> None:
    client.force_login(tree.head)
    url = f"/oversight/file/{tree.street.pk}/{YEAR}/form/"
    page = client.get(url).content.decode()
    assert 'name="requests.received.total"' in page and 'id="identities"' in page and "form.js" in page
    wrong = broken(tree)
    post = {str(ref): "" if v is None else str(v) for ref, v in wrong.cells()}
    post |= {f"section.{k}": v for k, v in wrong.sections.items()}
    refused = client.post(url, {**post, "op": "submit", "acknowledged": "1"})
    assert refused.status_code == 400 and "须改正" in refused.content.decode()
    assert not Submission.objects.exists()
    post[str(RECEIVED)] = "0"
    done = client.post(url, {**post, "op": "submit", "acknowledged": "1"})
    assert done.status_code == 302
    sub = Submission.objects.get()
    assert sub.status == Status.SUBMITTED and sub.current is not None and sub.current.source == "form"


def test_filing_a_file_through_the_page(client: Client, tree: Tree) -> None:
    client.force_login(tree.head)
    text = (CORPUS / "seeds" / "000_e754f61d84ee7fec.txt").read_bytes()  # no findings at all
    year = 2023
    upload = io.BytesIO(text)
    upload.name = "report.txt"
    client.post(
        f"/oversight/file/{tree.street.pk}/{year}/", {"op": "upload", "file": upload, "acknowledged": "1"}
    )
    version = ReportVersion.objects.get(submission__agency=tree.street, submission__year=year)
    assert version.source == "file" and version.file_name == "report.txt"
    assert bytes(version.content) == text
    client.force_login(tree.supervise)
    assert client.get(f"/oversight/version/{version.pk}/source/").content == text


def test_exports_carry_every_cell_and_the_findings(client: Client, tree: Tree) -> None:
    sub = filed(tree)
    client.force_login(tree.supervise)
    base = f"/oversight/region/{tree.district.pk}/{YEAR}/export"
    rows = list(csv.reader(io.StringIO(client.get(f"{base}/csv/").content.decode("utf-8-sig"))))
    header = rows[0]
    assert len(rows) == 2 and rows[1][header.index("agency")] == tree.street.name
    assert "requests.received.total" in header
    table = pyarrow.parquet.read_table(io.BytesIO(client.get(f"{base}/parquet/").content))
    assert table.column("agency").to_pylist() == [tree.street.name]
    assert table.column("requests.received.total").to_pylist() == [
        int(rows[1][header.index("requests.received.total")])
    ]
    finding = sub.current.findings[0]  # type: ignore[union-attr]
    services.decide(tree.supervise, sub, finding["fingerprint"], "dismissed", "=本地口径")
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/findings/").content))
    sheet = book.active
    assert sheet is not None and sheet.max_row == 1 + len(sub.current.findings)  # type: ignore[union-attr]
    found = [[c.value for c in row] for row in sheet.iter_rows()]
    header = found[0]
    assert header[-3:] == ["审核结论", "审核意见", "审核人"]
    decided = [r for r in found[1:] if r[header.index("指纹")] == finding["fingerprint"]]
    assert [r[-3:] for r in decided] == [["不予采纳", "=本地口径", tree.supervise.username]]
    assert sheet.cell(found.index(decided[0]) + 1, len(header) - 1).data_type == "s"  # inert, not a formula
    assert client.get(f"{base}/pdf/").status_code == 404
    with zipfile.ZipFile(io.BytesIO(client.get(f"{base}/tables/").content)) as archive:
        (name,) = archive.namelist()
        assert name.startswith(tree.street.name) and name.endswith(".xlsx")
        assert (
            "三、收到和处理政府信息公开申请情况"
            in openpyxl.load_workbook(io.BytesIO(archive.read(name))).sheetnames
        )
    summary = client.get(f"/oversight/region/{tree.district.pk}/{YEAR}/rollup/")
    assert "<svg" in summary.content.decode() and "<script" not in summary.content.decode()
    policy = summary["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "script-src" not in policy
    assert "default-src 'none'" in policy


def test_the_rollup_lists_where_the_regions_own_report_disagrees_with_the_sum(
    client: Client, tree: Tree
) -> None:
    for agency in (tree.street, tree.other):
        services.submit(tree.admin, agency, YEAR, consistent(tree, agency), acknowledged=True)
    own = consistent(tree, tree.district)
    for row in ("received", "disclosed", "handled_total"):  # four requests the members never had
        for column in ("natural_person", "total"):
            own.set(CellRef("requests", row, column), 4)
    services.submit(tree.admin, tree.district, YEAR, own, acknowledged=True)
    client.force_login(tree.supervise)
    page = client.get(f"/oversight/region/{tree.district.pk}/{YEAR}/rollup/").content.decode()
    reconciled = page.split(f"与{tree.district.name}本级报告核对")[1]
    assert str(RECEIVED) in reconciled and "requests.received.total" in reconciled


def test_the_rollup_ranks_desk_agencies_by_their_on_time_rate(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    year = RECEIVED_ON.year
    for n in range(10):  # the rate's minimum sample: nine answered in time, one after 49 days
        r = new_request(received_on=RECEIVED_ON, content=f"申请{n}")
        req_services.answer(
            tree.approve, r, "disclosed", "第二十七条", RECEIVED_ON + timedelta(days=7 + 42 * (n == 0))
        )
    for agency in (tree.street, tree.other):
        services.submit(tree.admin, agency, year, consistent(tree, agency, year), acknowledged=True)
    client.force_login(tree.supervise)
    page = client.get(f"/oversight/region/{tree.district.pk}/{year}/rollup/").content.decode()
    on_time = page.split("<h3>按时答复率</h3>")[1].split("</table>")[0]
    assert tree.street.name in on_time and "90.0" in on_time
    assert tree.other.name not in on_time  # handles no requests on this desk: no rate, no rank


def test_comparison_with_last_year_on_the_page_as_docx_and_pdf(client: Client, tree: Tree) -> None:
    last = consistent(tree, year=YEAR - 1)
    for row in ("received", "disclosed", "handled_total"):  # four requests received and disclosed
        for column in ("natural_person", "total"):
            last.set(CellRef("requests", row, column), 4)
    services.submit(tree.head, tree.street, YEAR - 1, last, acknowledged=True)
    sub = filed(tree)
    client.force_login(tree.supervise)
    page = client.get(f"/oversight/report/{sub.pk}/compare/").content.decode()
    changed = page.split('id="changed"')[1].split("</table>")[0]
    received = "表三“一、本年新收政府信息公开申请数量”行“自然人”列"
    assert received in changed and "<td>-4</td>" in changed and str(RECEIVED) not in page
    assert page.split('id="all-cells"')[1].count("<tr") > 100  # every cell, changed or not
    before = page.split('class="part-before"')[1].split("</p>")[0]
    now = page.split('class="part-now"')[1].split("</p>")[0]
    assert f"{YEAR - 1}年度" in before and f"{YEAR}年度" in now and "<mark>" in now
    docx = client.get(f"/oversight/report/{sub.pk}/compare/docx/")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    pdf = client.get(f"/oversight/report/{sub.pk}/compare/pdf/")  # through LibreOffice
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(f"/oversight/report/{sub.pk}/compare/odt/").status_code == 404


def test_overview_escapes_agency_names(client: Client, tree: Tree) -> None:
    tree.other.name = '<script>alert("x")</script>'
    tree.other.save()
    client.force_login(tree.supervise)
    html = client.get(f"/oversight/region/{tree.district.pk}/{YEAR}/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_the_menu_offers_the_desk_to_filers_and_supervisors(client: Client, tree: Tree) -> None:
    for user, shown in ((tree.supervise, True), (tree.head, True), (tree.register, False)):
        client.force_login(user)
        assert ('href="/oversight/"' in client.get("/oversight/").content.decode()) is shown


def _collected(tree: Tree, path: Path) -> Submission:
    done = services.collect(tree.supervise, tree.district, YEAR, [(path.name, path.read_bytes())])
    assert len(done.uploads) == 1, done.failures
    upload = done.uploads[0]
    return services.confirm(tree.supervise, upload, tree.other, upload.year)


def test_a_cell_beside_its_pdf_page_band(client: Client, tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = _collected(tree, CORPUS / "real" / "hzq2024_working.pdf")
    report = Report.from_json(sub.current.data)  # type: ignore[union-attr]
    key = next(k for k, where in report.provenance.items() if "bbox" in where)
    client.force_login(tree.supervise)
    page = client.get(f"/oversight/report/{sub.pk}/cell/{key}/").content.decode()
    assert 'id="source-image"' in page and 'name="cell"' in page
    caches["bands"].clear()
    image = client.get(f"/oversight/report/{sub.pk}/cell/{key}/image.png")
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")
    # kept on disk, where every server process finds it
    assert list(Path(settings.CACHES["bands"]["LOCATION"]).glob("*.djcache"))
    services.correct_cell(tree.supervise, sub, key, "7")  # still shown where it was printed
    sub.refresh_from_db()
    corrected = client.get(f"/oversight/report/{sub.pk}/cell/{key}/").content.decode()
    assert 'id="source-image"' in corrected and 'id="nearby"' not in corrected and "审核人已更正" in corrected
    width, height = PIL.Image.open(io.BytesIO(image.content)).size
    assert width <= band.MAX_PIXELS_WIDE and height <= band.MAX_BAND * band.SCALE
    with monkeypatch.context() as patched:  # rendered once per version and place, then cached
        patched.setattr(sources, "pdf_band", lambda *_: pytest.fail("rendered again"))
        again = client.get(f"/oversight/report/{sub.pk}/cell/{key}/image.png")
    assert again.content == image.content
    client.force_login(tree.head)  # the street's filer reviews nothing
    assert client.get(f"/oversight/report/{sub.pk}/cell/{key}/").status_code == 404


@pytest.mark.parametrize("cap", [("RENDER_SECONDS", 0.05), ("MEMORY_BYTES", 8 << 20)], ids=["time", "memory"])
def test_a_render_past_its_cap_gives_no_image_and_holds_nothing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, cap: tuple[str, float]
) -> None:
    content = (CORPUS / "real" / "hzq2024_working.pdf").read_bytes()
    where = {"page": 1, "bbox": [100.0, 300.0, 200.0, 320.0]}
    assert (sources.pdf_band(content, where) or b"").startswith(b"\x89PNG")  # within the caps
    monkeypatch.setattr(band, *cap)
    assert sources.pdf_band(content, where) is None
    assert "PDF band render" in caplog.text


def test_a_cell_beside_its_text_line(client: Client, tree: Tree) -> None:
    sub = _collected(tree, CORPUS / "seeds" / "000_e754f61d84ee7fec.txt")
    report = Report.from_json(sub.current.data)  # type: ignore[union-attr]
    key, where = next((k, w) for k, w in report.provenance.items() if k.startswith("requests.received"))
    client.force_login(tree.supervise)
    page = client.get(f"/oversight/report/{sub.pk}/cell/{key}/").content.decode()
    excerpt = page.split('id="source-excerpt"')[1].split("</table>")[0]
    assert 'class="error">' in excerpt and where["text"] in excerpt
    assert client.get(f"/oversight/report/{sub.pk}/cell/requests.nothing.total/").status_code == 404


def test_a_cell_the_reader_inferred_is_shown_by_its_row(client: Client, tree: Tree) -> None:
    seed = next((CORPUS / "seeds").glob("001_*.txt"))
    sub = _collected(tree, seed)
    report = Report.from_json(sub.current.data)  # type: ignore[union-attr]
    key = next(k for k, where in report.provenance.items() if where.get("how") == "inferred")
    client.force_login(tree.supervise)
    page = client.get(f"/oversight/report/{sub.pk}/cell/{key}/").content.decode()
    assert 'id="nearby"' in page and "由表格勾稽关系推断" in page
    excerpt = page.split('id="source-excerpt"')[1].split("</table>")[0]
    row = key.rsplit(".", 1)[0] + "."
    sibling = next(w for k, w in report.provenance.items() if k.startswith(row) and "text" in w)
    here = excerpt.split('<tr class="here">')[1].split("</tr>")[0]
    assert sibling["text"] in here and 'class="error"' not in excerpt  # the row, no cell pretended


def test_a_region_sets_its_own_deadline_and_exports_a_report_in_the_official_layout(
    client: Client, tree: Tree
) -> None:
    sub = filed(tree)
    client.force_login(tree.supervise)
    url = f"/oversight/region/{tree.district.pk}/{YEAR}/"
    client.post(url, {"op": "deadline", "level": "township", "month": "2", "day": "20"})
    assert "乡镇街道：2月20日" in client.get(url).content.decode()
    client.post(url, {"op": "deadline", "level": "township", "month": "2", "day": "30"})
    assert "乡镇街道：2月20日" in client.get(url).content.decode()
    xlsx = client.get(f"/oversight/report/{sub.pk}/export/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert "三、收到和处理政府信息公开申请情况" in book.sheetnames


def test_collecting_through_the_page_records_the_day_received(client: Client, tree: Tree) -> None:
    client.force_login(tree.supervise)
    url = f"/oversight/region/{tree.district.pk}/{YEAR}/collect/"
    seed = CORPUS / "seeds" / "000_e754f61d84ee7fec.txt"

    def upload(received_on: str) -> str:
        file = io.BytesIO(seed.read_bytes())
        file.name = seed.name
        done = client.post(url, {"op": "upload", "files": [file], "received_on": received_on}, follow=True)
        return done.content.decode()

    assert "收到日期格式不正确" in upload("2025-02-30") and not Upload.objects.exists()
    upload("2025-01-20")
    assert Upload.objects.get().received_on == date(2025, 1, 20)
    assert "2025-01-20" in client.get(url).content.decode()


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
def test_a_cell_beside_its_table_row(client: Client, tree: Tree, tmp_path: Path, fmt: str) -> None:
    gold = Report.from_json(json.loads((CORPUS / "seeds" / "000_e754f61d84ee7fec.gold.json").read_text()))
    path = tmp_path / f"report.{fmt}"
    path.write_bytes(write(gold, fmt))  # the official layout as an agency would publish it
    sub = _collected(tree, path)
    report = Report.from_json(sub.current.data)  # type: ignore[union-attr]
    client.force_login(tree.supervise)
    for key in (str(RECEIVED), "appeals.reconsideration.corrected"):
        page = client.get(f"/oversight/report/{sub.pk}/cell/{key}/").content.decode()
        excerpt = page.split('id="source-excerpt"')[1].split("</table>")[0]
        here = excerpt.split('<tr class="here">')[1].split("</tr>")[0]
        marked = here.split('<td class="error">')[1].split("</td>")[0]
        assert marked == report.provenance[key]["text"]
    assert "表格" in page or "工作表" in page
