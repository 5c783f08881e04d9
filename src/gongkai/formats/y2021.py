"""国办公开办函〔2021〕30号: the format for reports on 2021 and later years."""

from __future__ import annotations

from .common import OTHER_ROWS_2021, SECTIONS_2021, appeals_table, requests_table
from .model import Column, Format, Kind, Row, Table

ISSUED = Column("issued", "本年制发件数", ("本年制发数量",))
REPEALED = Column("repealed", "本年废止件数", ("本年度止件数", "本年废纸件数", "本年废止数量"))
IN_FORCE = Column("in_force", "现行有效件数", ("先行有效件数", "现行有效数量"))
DECISIONS = Column("decisions", "本年处理决定数量", ("本年处理决定件数",))
FEE_AMOUNT = Column(
    "amount_10k_yuan",
    "本年收费金额（单位：万元）",
    ("本年收费金额（单位：万元，保留4位小数）", "本年收费金额(万元)", "本年收费金额"),
    kind=Kind.MONEY,
)

ART20_1 = "第二十条第（一）项"
ART20_5 = "第二十条第（五）项"
ART20_6 = "第二十条第（六）项"
ART20_8 = "第二十条第（八）项"

PROACTIVE = Table(
    key="proactive",
    number="二",
    title="二、主动公开政府信息情况",
    title_variants=(),
    rows=(
        Row("rules", "规章", columns=(ISSUED, REPEALED, IN_FORCE), caption=ART20_1),
        Row(
            "normative_documents",
            "行政规范性文件",
            ("规范性文件",),
            columns=(ISSUED, REPEALED, IN_FORCE),
            caption=ART20_1,
        ),
        Row("licensing", "行政许可", columns=(DECISIONS,), caption=ART20_5),
        Row("penalty", "行政处罚", columns=(DECISIONS,), caption=ART20_6),
        Row("coercion", "行政强制", columns=(DECISIONS,), caption=ART20_6),
        Row("fees", "行政事业性收费", columns=(FEE_AMOUNT,), caption=ART20_8),
    ),
    header_labels=("信息内容", ART20_1, ART20_5, ART20_6, ART20_8),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "先行有效件数", "本年度止件数"),
)

FORMAT_2021 = Format(
    key="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    document="国办公开办函〔2021〕30号",
    years=(2021, 9999),
    tables=(
        PROACTIVE,
        requests_table(
            OTHER_ROWS_2021,
            markers=("申请人无正当理由逾期不补正", "申请人逾期未按收费通知要求缴纳费用"),
        ),
        appeals_table(),
    ),
    sections=SECTIONS_2021,
)
