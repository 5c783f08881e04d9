"""HTML: one self-contained accessible page with real rowspan/colspan and <th scope>."""

from __future__ import annotations

import lxml.html
import pytest

from gongkai.report import Report
from gongkai.writing import write

from .strategies import distinct_report


def sample(fmt: str) -> Report:
    return distinct_report(fmt, "某某局<测试>", 2023, "3.5")


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_structure(fmt: str) -> None:
    report = sample(fmt)
    page = write(report, "html").decode("utf-8")
    root = lxml.html.document_fromstring(page)
    assert root.get("lang") == "zh-CN"
    assert root.findtext(".//h1") == "某某局<测试>2023年政府信息公开工作年度报告"
    assert not root.xpath("//script|//link|//img|//*[@src]|//*[@href]")
    assert "@media print" in root.findtext(".//style")
    tables = root.xpath("//table")
    assert len(tables) == 3 and all(t.find("caption") is not None for t in tables)
    requests = tables[1]
    note = requests.xpath(".//thead/tr[1]/th[1]")[0]
    assert (note.get("rowspan"), note.get("colspan"), note.get("scope")) == ("3", "3", "col")
    outcome = requests.xpath(".//th[.='三、本年度办理结果']")[0]
    assert outcome.get("scope") == "row" and outcome.get("rowspan") == ("22" if fmt == "2021" else "20")
    secret = requests.xpath(".//tr[th='1.属于国家秘密']")[0]
    assert [td.text for td in secret.findall("td")] == [
        str(v) for v in report.requests["withheld_state_secret"].values()
    ]
    assert len(requests.xpath(".//thead/tr")) == 3
    appeals = tables[2]
    assert appeals.xpath(".//th[.='行政诉讼']/@colspan") == ["10"]
    assert [td.text or "" for td in appeals.xpath(".//tbody//td")] == [
        str(v) for row in report.appeals.values() for v in row.values()
    ]


def test_none_is_empty_and_sections_are_paragraphs() -> None:
    report = sample("2021")
    report.requests["received"]["natural_person"] = None
    report.sections = {"一": "第一段。\n第二段。", "五": "问题。", "六": "无。"}
    root = lxml.html.document_fromstring(write(report, "html"))
    cell = root.xpath('//td[@data-cell="requests.received.natural_person"]')[0]
    assert (cell.text or "") == ""
    part = root.xpath('//section[@id="part-一"]')[0]
    assert [p.text for p in part.findall("p")] == ["第一段。", "第二段。"]
    assert not root.xpath('//p[@class="draft"]')
