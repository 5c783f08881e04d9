"""The report's year is the statistics year, never a publication date or another date in the text."""

from __future__ import annotations

import pytest

from gongkai.extraction import extract
from gongkai.extraction.meta import find_signature, find_title
from gongkai.reading import load_bytes
from gongkai.report import Report
from gongkai.writing import WRITERS

AGENCY = "示例区教育局"

# (title line(s), agency, year): each line puts another year or date beside the report's year.
TITLES = [
    ("标题: 示例区教育局2023年政府信息公开工作年度报告\n发布时间: 2024-01-20 17:39", AGENCY, 2023),
    ("2024年1月发布 示例区教育局2023年政府信息公开工作年度报告", AGENCY, 2023),
    ("2024年1月15日 示例区教育局2023年政府信息公开工作年度报告", AGENCY, 2023),
    ("发布日期：2024-01-15 示例区教育局2023年度政府信息公开工作年度报告", AGENCY, 2023),
    ("发布时间：2024/01/15 10:30 示例区教育局2023年政府信息公开工作年度报告", AGENCY, 2023),
    ("示例区教育局2023年政府信息公开工作年度报告（2024年1月15日发布）", AGENCY, 2023),
    ("根据2019年修订的条例，示例区教育局2023年政府信息公开工作年度报告", AGENCY, 2023),
    ("2023年示例区教育局政府信息公开工作年度报告", AGENCY, 2023),
    ("示例区教育局政府信息公开工作年度报告（2023年度）", AGENCY, 2023),
    ("示例区教育局政府信息公开工作年度报告(2023年)", AGENCY, 2023),
    ("示例区教育局\n2023年政府信息公开工作年度报告", AGENCY, 2023),
    ("关于《示例区教育局2023年政府信息公开工作年度报告》的说明", AGENCY, 2023),
    (
        "本报告根据《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
        "（国办公开办函〔2021〕30号）编制。\n示例区教育局2023年政府信息公开工作年度报告",
        AGENCY,
        2023,
    ),
]


@pytest.mark.parametrize(("title", "agency", "year"), TITLES, ids=[t[0][:24] for t in TITLES])
def test_title_year_is_the_statistics_year(title: str, agency: str, year: int) -> None:
    assert find_title(title) == (agency, year)


@pytest.mark.parametrize(("title", "agency", "year"), TITLES, ids=[t[0][:24] for t in TITLES])
def test_a_whole_report_under_a_distracting_title_reads_its_year(title: str, agency: str, year: int) -> None:
    report = Report.blank("2021", zero=True)
    report.agency, report.year = "占位机关", year
    text = WRITERS["text"].write(report).decode("utf-8")
    body = text.split("\n", 1)[1].replace(f"{year}年", "本年")  # only the title names the year
    read = extract(load_bytes(f"{title}\n{body}".encode(), "r.txt"))
    assert (read.agency, read.year) == (agency, year)


def test_a_date_inside_the_text_is_not_a_signature() -> None:
    lines = ["五、存在的主要问题及改进情况", "整改工作已完成", "截至2024年6月30日", "六、其他需要报告的事项"]
    assert find_signature(lines) == (None, None)


@pytest.mark.parametrize(
    "lines",
    [["安泰街道办事处", "2024年1月4日", "扫一扫在手机上查看当前页面"], ["安泰街道办事处 2024年1月4日"]],
)
def test_the_signature_still_gives_agency_and_date(lines: list[str]) -> None:
    assert find_signature(lines) == ("安泰街道办事处", 2024)


def test_without_a_title_the_period_wins_over_a_law_year_and_dates_in_part_five() -> None:
    report = Report.blank("2021", zero=True)
    report.agency, report.year = "占位机关", 2023
    text = WRITERS["text"].write(report).decode("utf-8").split("\n", 1)[1]
    preamble = (
        "根据2019年修订的《中华人民共和国政府信息公开条例》编制。本报告统计期限为2023年1月1日至12月31日。\n"
    )
    text = preamble + text.replace(
        "五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n2024年3月31日前完成整改。\n"
    )
    read = extract(load_bytes((text + "\n安泰街道办事处\n2024年1月4日\n").encode(), "r.txt"))
    assert read.year == 2023
    assert read.agency == "安泰街道办事处"
