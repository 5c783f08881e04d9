"""国办公开办函〔2019〕60号: the trial format for reports on 2019 and 2020."""

from __future__ import annotations

from .common import OTHER_ROWS_2019, SECTIONS_2021, appeals_table, requests_table
from .model import Column, Format, Kind, Row, Table

NEW_MADE = Column("new_made", "本年新制作数量")
NEW_PUBLISHED = Column("new_published", "本年新公开数量")
TOTAL_PUBLISHED = Column("total_published", "对外公开总数量")
PREV_ITEMS = Column("prev_items", "上一年项目数量")
CHANGE = Column("change", "本年增/减", ("本年增减",), kind=Kind.SIGNED)
DECISIONS = Column("decisions", "处理决定数量")
PROJECTS = Column("projects", "采购项目数量")
AMOUNT = Column("amount", "采购总金额", kind=Kind.TEXT)

DOCS = (NEW_MADE, NEW_PUBLISHED, TOTAL_PUBLISHED)
ITEMS = (PREV_ITEMS, CHANGE, DECISIONS)

ART20_1 = "第二十条第（一）项"
ART20_5 = "第二十条第（五）项"
ART20_6 = "第二十条第（六）项"
ART20_8 = "第二十条第（八）项"
ART20_9 = "第二十条第（九）项"

PROACTIVE = Table(
    key="proactive",
    number="二",
    title="二、主动公开政府信息情况",
    title_variants=(),
    rows=(
        Row("rules", "规章", columns=DOCS, caption=ART20_1),
        Row("normative_documents", "规范性文件", ("行政规范性文件",), columns=DOCS, caption=ART20_1),
        Row("licensing", "行政许可", columns=ITEMS, caption=ART20_5),
        Row("other_services", "其他对外管理服务事项", columns=ITEMS, caption=ART20_5),
        Row("penalty", "行政处罚", columns=ITEMS, caption=ART20_6),
        Row("coercion", "行政强制", columns=ITEMS, caption=ART20_6),
        Row("fees", "行政事业性收费", columns=(PREV_ITEMS, CHANGE), caption=ART20_8),
        Row("procurement", "政府集中采购", columns=(PROJECTS, AMOUNT), caption=ART20_9),
    ),
    header_labels=("信息内容", ART20_1, ART20_5, ART20_6, ART20_8, ART20_9),
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "政府集中采购"),
)

FORMAT_2019 = Format(
    key="2019",
    name="政府信息公开工作年度报告格式（试行）",
    document="国办公开办函〔2019〕60号",
    years=(2019, 2020),
    tables=(
        PROACTIVE,
        requests_table(OTHER_ROWS_2019, markers=()),
        appeals_table(),
    ),
    sections=(
        *SECTIONS_2021[:4],
        ("五、政府信息公开工作存在的主要问题及改进情况", "五、存在的主要问题及改进情况"),
        SECTIONS_2021[5],
    ),
)
