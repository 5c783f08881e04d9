"""Parts shared by both national formats: table 三's columns and rows, and table 四.

Table 三 is identical in the 2019 and 2021 formats except for row （六）其他处理, which
2021 splits into three leaves; `requests_table` builds either from the same rows.
"""

from __future__ import annotations

from .model import Column, Identity, Row, Table, balances, column_sums, row_sums

APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)
APPLICANT_PARTS = tuple(c.key for c in APPLICANT_COLUMNS[:-1])
ALL_APPLICANT_COLUMNS = tuple(c.key for c in APPLICANT_COLUMNS)

OUTCOMES = "三、本年度办理结果"
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
REJECTED = "（五）不予处理"
OTHER = "（六）其他处理"


def _leaf(key: str, label: str, group: str = "", *variants: str) -> Row:
    return Row(key, label, variants, group=group, leaf=True)


HEAD_ROWS = (
    Row("received", "一、本年新收政府信息公开申请数量"),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("二、上年结转政府信息公开申请量",)),
)
OUTCOME_ROWS = (
    _leaf("disclosed", "（一）予以公开"),
    _leaf(
        "partly_disclosed",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "",
        "（二）部分公开",
    ),
    _leaf("withheld_state_secret", "1.属于国家秘密", WITHHELD),
    _leaf(
        "withheld_prohibited",
        "2.其他法律行政法规禁止公开",
        WITHHELD,
        "2.其他法律法规禁止公开",
        "2.其他法律行政止公开",
        "2.其他法律、行政法规禁止公开",
    ),
    _leaf("withheld_security", "3.危及“三安全一稳定”", WITHHELD, "3.危及三安全一稳定"),
    _leaf("withheld_third_party", "4.保护第三方合法权益", WITHHELD),
    _leaf("withheld_internal", "5.属于三类内部事务信息", WITHHELD),
    _leaf("withheld_process", "6.属于四类过程性信息", WITHHELD),
    _leaf("withheld_enforcement_file", "7.属于行政执法案卷", WITHHELD),
    _leaf("withheld_query", "8.属于行政查询事项", WITHHELD),
    _leaf("unavailable_not_held", "1.本机关不掌握相关政府信息", UNAVAILABLE),
    _leaf("unavailable_needs_creation", "2.没有现成信息需要另行制作", UNAVAILABLE),
    _leaf("unavailable_unclear", "3.补正后申请内容仍不明确", UNAVAILABLE),
    _leaf("rejected_petition", "1.信访举报投诉类申请", REJECTED),
    _leaf("rejected_repeat", "2.重复申请", REJECTED),
    _leaf("rejected_publication", "3.要求提供公开出版物", REJECTED),
    _leaf("rejected_excessive", "4.无正当理由大量反复申请", REJECTED),
    _leaf("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", REJECTED),
)
OTHER_ROWS_2021 = (
    _leaf(
        "other_no_supplement",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        OTHER,
    ),
    _leaf(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        OTHER,
    ),
    _leaf("other_other", "3.其他", OTHER),
)
OTHER_ROWS_2019 = (_leaf("other", "（六）其他处理"),)
TAIL_ROWS = (
    Row("handled_total", "（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理"),
)

REQUESTS_TITLE = "三、收到和处理政府信息公开申请情况"
REQUESTS_HEADERS = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "（本列数据的钩稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "法人或其他组织",
    *(c.label for c in APPLICANT_COLUMNS),
    OUTCOMES,
    WITHHELD,
    UNAVAILABLE,
    REJECTED,
    OTHER,
)


def requests_table(other_rows: tuple[Row, ...], markers: tuple[str, ...]) -> Table:
    rows = HEAD_ROWS + OUTCOME_ROWS + other_rows + TAIL_ROWS
    leaves = tuple(r.key for r in rows if r.leaf)
    identities: list[Identity] = [
        *row_sums("requests", rows, APPLICANT_PARTS, "total"),
        *column_sums("requests", leaves, "handled_total", ALL_APPLICANT_COLUMNS, "leaf-sum"),
        *balances(
            "requests",
            ("received", "carried_over"),
            ("handled_total", "carried_forward"),
            ALL_APPLICANT_COLUMNS,
        ),
    ]
    return Table(
        key="requests",
        number="三",
        title=REQUESTS_TITLE,
        title_variants=("三、收到和处理政府信息公开申请的情况",),
        rows=rows,
        columns=APPLICANT_COLUMNS,
        identities=tuple(identities),
        header_labels=REQUESTS_HEADERS,
        markers=markers,
    )


APPEAL_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
APPEAL_ROWS = (
    Row("reconsideration", "行政复议"),
    Row("litigation_direct", "未经复议直接起诉", group="行政诉讼"),
    Row("litigation_after_reconsideration", "复议后起诉", group="行政诉讼"),
)


def appeals_table() -> Table:
    parts = tuple(c.key for c in APPEAL_COLUMNS[:-1])
    return Table(
        key="appeals",
        number="四",
        title="四、政府信息公开行政复议、行政诉讼情况",
        title_variants=(
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "四、政府信息公开行政复议和行政诉讼情况",
            "四、政府信息公开行政复议与行政诉讼情况",
        ),
        rows=APPEAL_ROWS,
        columns=APPEAL_COLUMNS,
        identities=tuple(
            Identity(i.rule.replace("row-sum", "appeal-total"), i.left, i.right)
            for i in row_sums("appeals", APPEAL_ROWS, parts, "total")
        ),
        header_labels=("行政诉讼", *(c.label for c in APPEAL_COLUMNS)),
    )


SECTIONS_2021: tuple[tuple[str, ...], ...] = (
    ("一、总体情况",),
    ("二、主动公开政府信息情况",),
    ("三、收到和处理政府信息公开申请情况",),
    ("四、政府信息公开行政复议、行政诉讼情况",),
    ("五、存在的主要问题及改进情况",),
    ("六、其他需要报告的事项",),
)
