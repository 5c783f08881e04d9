"""The rule catalogue: every check `gongkai check` runs, with its id, severity, messages and examples.

Ids R1–R20 follow the validation rules of shared/spec/domain-notes.md §5; the others are
ours: T… for table content, S… for the document and its wording, X… for what the reader had
to decide (never the agency's fault).
"""

from __future__ import annotations

import inspect
from datetime import date

from ..formats.common import ALL_APPLICANT_COLUMNS
from ..report import Figure, Note
from . import document, history, narrative, numbering, reading, tables, wording
from .model import Check, Example, Rule, Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE
BOTH = ("2019", "2021")
OK = Example("各项数字一致的报告")
ONE_REQUEST = {
    "requests.received.natural_person": 1,
    "requests.received.total": 1,
    "requests.disclosed.natural_person": 1,
    "requests.disclosed.total": 1,
    "requests.handled_total.natural_person": 1,
    "requests.handled_total.total": 1,
}
CARRIED = {
    "requests.received.natural_person": 1,
    "requests.received.total": 1,
    "requests.carried_forward.natural_person": 1,
    "requests.carried_forward.total": 1,
}
BLANK_NOTE = " An identity with a blank cell is only 'not checkable' (a notice), never broken."
PART_ONE = (
    "本报告统计期限为2023年1月1日至2023年12月31日。本年度持续做好主动公开，依申请公开依法办理，"
    "政府信息管理规范有序，平台建设不断加强，监督保障、考核评议机制健全。"
)
UNDECIDABLE = Note(
    "undecidable",
    "表三“一、本年新收政府信息公开申请数量”行印为“1 0 0 0 0 0”，应有 7 个数值，无法唯一对应到各列，记为空",
    "expected 7 values, the document prints 6; no single reading fits, left null",
    "requests.received",
)
UNREAD_ROW = {f"requests.received.{column}": None for column in ALL_APPLICANT_COLUMNS}
LAST_SECTIONS = {
    "一": "去年重点推进了政务新媒体整合，关停了三个长期不更新的账号。",
    "五": "去年的问题在于栏目分类混乱。",
}


def _last_year(cells: dict[str, int] | None = None) -> Example:
    """The same agency's report on the year before, worded differently (so R15 stays quiet)."""
    return Example("（上年度报告）", cells or {}, year=2022, sections=LAST_SECTIONS)


def _rule(
    id: str,
    severity: Severity,
    title: tuple[str, str],
    template: tuple[str, str],
    run: Check,
    passing: Example,
    failing: Example,
    formats: tuple[str, ...] = BOTH,
    table: str = "requests",
    cross_year: bool = False,
    description: str = "",
) -> Rule:
    return Rule(
        id=id,
        severity=severity,
        title_zh=title[0],
        title_en=title[1],
        template_zh=template[0],
        template_en=template[1],
        formats=formats,
        table=table,
        passing=passing,
        failing=failing,
        run=run,
        description=description or inspect.cleandoc(run.__doc__ or ""),
        cross_year=cross_year,
    )


RULES: tuple[Rule, ...] = (
    _rule(
        "R1",
        E,
        (
            "表三勾稽关系：一＋二＝（七）＋四",
            "Table 三 balance: received + carried over = handled + carried forward",
        ),
        (
            "{where}：第一项加第二项之和为 {left}，第三项（七）总计加第四项之和为 {right}，两者应相等",
            "{en}: received + carried over = {left}, handled + carried forward = {right}",
        ),
        tables.check_identities,
        Example("新收 1 件、办结 1 件", ONE_REQUEST),
        Example(
            "新收 1 件，却没有办理结果也没有结转",
            {"requests.received.natural_person": 1, "requests.received.total": 1},
        ),
        description=(
            "Per column of table 三, the format's `balance` identities: 一 + 二 = (七) + 四, as"
            " the 勾稽 note printed in the table says." + BLANK_NOTE
        ),
    ),
    _rule(
        "R2",
        E,
        ("（七）总计＝各项办理结果之和", "(七) total = sum of the outcome rows"),
        (
            "{where}：各项办理结果之和为 {left}，表中填报 {right}",
            "{en}: outcome rows sum to {left}, printed {right}",
        ),
        tables.check_identities,
        Example("予以公开 1 件，（七）总计 1 件", ONE_REQUEST),
        Example(
            "予以公开 1 件，（七）总计仍为 0",
            {"requests.disclosed.natural_person": 1, "requests.disclosed.total": 1},
        ),
        description=(
            "Per column, the format's `leaf-sum` identities: (七)总计 = the leaf outcome rows"
            " (21 in 2021, 19 in 2019)." + BLANK_NOTE
        ),
    ),
    _rule(
        "R3",
        E,
        ("表三每行总计＝六类申请人之和", "Each row of 三: total = the six applicant columns"),
        (
            "{where}：六类申请人各列之和为 {left}，“总计”列填报 {right}",
            "{en}: the six applicant columns sum to {left}, the total column prints {right}",
        ),
        tables.check_identities,
        Example("自然人 1 件，总计 1 件", ONE_REQUEST),
        Example("自然人 1 件，总计仍为 0", {"requests.received.natural_person": 1}),
        description=(
            "Per row of table 三, the format's `row-sum` identities: 总计 = the six applicant"
            " columns; the table has no subtotal column." + BLANK_NOTE
        ),
    ),
    _rule(
        "R4",
        E,
        ("表四总计＝维持＋纠正＋其他＋尚未审结", "Table 四: total = upheld + corrected + other + pending"),
        (
            "{where}：结果维持、结果纠正、其他结果、尚未审结之和为 {left}，“总计”填报 {right}",
            "{en}: upheld + corrected + other + pending = {left}, total prints {right}",
        ),
        tables.check_identities,
        Example(
            "行政复议维持 1 件，总计 1 件",
            {"appeals.reconsideration.upheld": 1, "appeals.reconsideration.total": 1},
        ),
        Example("行政复议维持 1 件，总计 0", {"appeals.reconsideration.upheld": 1}),
        table="appeals",
        description=(
            "Per group of table 四, the format's `appeal-total` identities: 总计 = 维持 + 纠正 + 其他"
            " + 尚未审结." + BLANK_NOTE
        ),
    ),
    _rule(
        "R5",
        E,
        ("上年结转＝上年报告的结转下年度", "Carried over = last year's carried forward"),
        (
            "{cell}填报 {value}，而{year}年度报告“四、结转下年度继续办理”同列为 {last}",
            "{en}: {value}, but the {year} report carried forward {last}",
        ),
        history.check_carry_over,
        Example("上年结转 0，上年报告结转 0", previous=_last_year()),
        Example("上年报告结转 1 件，本年上年结转却为 0", previous=_last_year(CARRIED)),
        cross_year=True,
    ),
    _rule(
        "R6",
        E,
        ("数值为非负整数，金额为非负数", "Counts are non-negative integers, money non-negative"),
        ("{cell}填报“{value}”，应为非负整数（金额为非负数）", "{en}: {value!r} is not a non-negative number"),
        tables.check_values,
        OK,
        Example("予以公开填报 -1", {"requests.disclosed.natural_person": -1}),
    ),
    _rule(
        "R7",
        E,
        ("表格格式与报告年度相符", "Each table follows the template of the report's year"),
        (
            "{name}按{used}的格式填报（{signs}），而{year}年度报告应使用{due}的格式",
            "table {key} follows {used}; a report on {year} must follow {due}",
        ),
        tables.check_template,
        Example("2020 年度报告使用 2019 年试行格式", format="2019", year=2020),
        Example(
            "2023 年度报告的表三仍用 2019 年试行格式（（六）其他处理只有一行）",
            format="2019",
            proactive_format="2021",
        ),
    ),
    _rule(
        "R8",
        E,
        ("六个部分齐全，标题规范、顺序正确", "Six parts with the standard headings, in order"),
        ("{what}（国家格式为“{standard}”）", "{what_en} (standard: {standard})"),
        document.check_parts,
        OK,
        Example("第五部分缺失", sections={"五": None}),
    ),
    _rule(
        "R9",
        W,
        ("总体情况涵盖五个方面", "Part 一 covers the five aspects"),
        (
            "第一部分“总体情况”未涉及：{missing}（应概述主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面）",
            "part 一 does not mention {count} of the five aspects 30号 names",
        ),
        document.check_aspects,
        OK,
        Example("总体情况只有一句话", sections={"一": "本年度工作顺利完成。"}),
        formats=("2021",),
    ),
    _rule(
        "R10",
        W,
        (
            "政府报告载明考核、评议和责任追究结果",
            "A government reports assessment, evaluation and accountability",
        ),
        (
            "{agency}为人民政府，应在报告中载明政务公开工作考核、社会评议和责任追究结果，未找到相关内容",
            "a government's report must state assessment, evaluation and accountability results (Art. 50(4))",
        ),
        document.check_assessment,
        Example("县政府报告写明考核评议情况", agency="示例县人民政府"),
        Example(
            "县政府报告未提考核、评议、责任追究",
            agency="示例县人民政府",
            sections={"一": "本年度主动公开、依申请公开、政府信息管理、平台建设、监督保障各项工作有序开展。"},
        ),
    ),
    _rule(
        "R11",
        E,
        ("正文数字与表格一致", "Numbers in the text equal the tables"),
        (
            "第{section}部分“{sentence}”中{what}为 {value}，而{where}为 {cell}",
            "part {section} states {kind} = {value}, the table has {cell}",
        ),
        narrative.check_figures,
        Example(
            "正文“其中网上申请 3 件”是部分范围的数字，不与全机关的 0 比较",
            figures=(Figure("requests_received", 3, "其中网上申请3件。", {"section": "一"}, "其中"),),
        ),
        Example(
            "正文称收到申请 3 件，表三新收为 0",
            figures=(Figure("requests_received", 3, "本年共收到政府信息公开申请3件。", {"section": "一"}),),
        ),
    ),
    _rule(
        "R12",
        E,
        ("按期发布", "Published by the deadline"),
        (
            "发布日期 {published} 晚于{whose}的发布期限 {due}",
            "published {published}, after the deadline {due}",
        ),
        document.check_deadline,
        Example("县教育局 1 月 20 日发布", agency="示例县教育局", published=date(2024, 1, 20)),
        Example(
            "县教育局 3 月 5 日才发布（部门期限为 1 月 31 日）",
            agency="示例县教育局",
            published=date(2024, 3, 5),
        ),
    ),
    _rule(
        "R13",
        W,
        ("写明统计期限", "The statistics period is stated"),
        (
            "未写明统计期限为{year}年1月1日至{year}年12月31日",
            "the statistics period 1 Jan–31 Dec {year} is not stated",
        ),
        document.check_period,
        Example("全文写明统计期限", text="本报告统计期限为2023年1月1日至2023年12月31日。"),
        Example("全文未写统计期限", text="示例区示例街道办事处2023年政府信息公开工作年度报告"),
    ),
    _rule(
        "R14",
        W,
        ("收费金额以万元计且数量级合理", "The fee is in 万元 with a sane magnitude"),
        (
            "{cell}填报 {value}，超过{level}机关的参考值 {limit} 万元，请核对是否把“元”当作“万元”填写"
            "（若单位为元，应为 {yuan} 万元）",
            "fee {value} (10k yuan) exceeds {limit} for a {level_en} body; yuan typed as 10k yuan?",
        ),
        tables.check_fee_magnitude,
        Example("街道收费 0.0500 万元", {"proactive.fees.amount_10k_yuan": "0.0500"}),
        Example("街道收费填报 25000 万元", {"proactive.fees.amount_10k_yuan": "25000"}),
        formats=("2021",),
        table="proactive",
    ),
    _rule(
        "R15",
        W,
        ("总体情况、存在问题不照搬上年", "Parts 一 and 五 are not copied from last year"),
        (
            "第{part}部分与{year}年度报告的相应部分相似度 {percent}%，疑似照搬：{passages}",
            "part {part} is {percent}% similar to the {year} report",
        ),
        history.check_copied,
        Example("上年报告的第一、五部分另有内容", previous=_last_year()),
        Example("第一、五部分与上年报告逐字相同", previous=Example("（上年度报告）", year=2022)),
        cross_year=True,
    ),
    _rule(
        "R16",
        W,
        ("第六部分说明信息处理费", "Part 六 states the information-processing fee"),
        (
            "{reason}，但第六部分未说明信息处理费的收取情况",
            "fees charged or unpaid, but part 六 does not mention the fee",
        ),
        document.check_fee_statement,
        OK,
        Example(
            "（六）2 逾期未缴费 1 件，第六部分只写“无”",
            {"requests.other_unpaid_fee.natural_person": 1, "requests.other_unpaid_fee.total": 1},
            sections={"六": "无。"},
        ),
    ),
    _rule(
        "R17",
        W,
        ("现行有效件数前后衔接", "Documents in force carry on from last year"),
        (
            "{row}：上年现行有效 {last} ＋本年制发 {issued} －本年废止 {repealed} ＝ {expected}，"
            "表中现行有效件数为 {value}",
            "{en}: last year's in force {last} + issued {issued} - repealed {repealed} = {expected}, "
            "printed {value}",
        ),
        history.check_in_force,
        Example("上年现行有效 0 件，本年 0 件", previous=_last_year()),
        Example(
            "上年现行有效 5 件，本年未制发未废止却为 0 件",
            previous=_last_year({"proactive.normative_documents.in_force": 5}),
        ),
        formats=("2021",),
        table="proactive",
        cross_year=True,
    ),
    _rule(
        "R18",
        W,
        ("存在问题及改进情况具体", "Part 五 names problems and measures"),
        ("第五部分未见{missing}的表述", "part 五 names no {missing_en}"),
        document.check_problems,
        OK,
        Example("第五部分只写“无”", sections={"五": "无。"}),
    ),
    _rule(
        "R19",
        E,
        ("表格不含国家格式以外的行列", "No rows or columns beyond the national format"),
        ("{name}中出现国家格式没有的“{text}”行或列", "table {key} has a non-official {text} row or column"),
        tables.check_extra_rows,
        OK,
        Example("表三加了“法人或其他组织小计”列", sections={"三": "自然人\t法人或其他组织小计\t商业企业"}),
    ),
    _rule(
        "R20",
        W,
        ("结转下年度的申请在正文中有说明", "Requests carried forward are explained"),
        (
            "表三“四、结转下年度继续办理”为 {count} 件，正文未说明结转原因或办理进度",
            "{count} requests carried forward without a word in the text",
        ),
        document.check_pending,
        Example(
            "结转 1 件，正文说明“1件申请结转下年度办理”",
            CARRIED,
            sections={"六": "1件申请结转下年度办理。本年度未收取信息处理费。"},
        ),
        Example("结转 1 件，正文只字未提", CARRIED),
    ),
    _rule(
        "T3-EMPTY-COLUMN",
        W,
        ("有办理结果的列必有申请", "A column with outcomes has applications"),
        (
            "表三“{column}”列：本年新收与上年结转均为 0，却填有{rows}",
            "column {column_en}: no applications, yet outcomes are reported",
        ),
        tables.check_empty_column,
        Example("自然人新收 1 件、办结 1 件", ONE_REQUEST),
        Example(
            "自然人新收为 0，却有予以公开 1 件",
            {"requests.disclosed.natural_person": 1, "requests.disclosed.total": 1},
        ),
    ),
    _rule(
        "T-LABEL",
        N,
        ("行列标签与国家格式一致", "Labels as the national format prints them"),
        ("{message}", "{message_en}"),
        tables.check_labels,
        OK,
        Example(
            "“2.其他法律行政法规禁止公开”印为“2.其他法律法规禁止公开”",
            notes=(
                Note(
                    "label-variant",
                    "表三“（三）不予公开2.其他法律行政法规禁止公开”行的标签印为“2.其他法律法规禁止公开”，"
                    "与国家格式不同（应为“2.其他法律行政法规禁止公开”）",
                    'row label printed as "2.其他法律法规禁止公开"',
                    "requests.withheld_prohibited",
                ),
            ),
        ),
        table="",
    ),
    _rule(
        "T-BLANK",
        N,
        ("单元格不留空", "No cell printed empty"),
        ("{name}有 {count} 个单元格留空（国家格式要求填 0）", "table {key}: {count} cells printed empty"),
        tables.check_blank,
        OK,
        Example("表四行政复议“结果维持”留空", {"appeals.reconsideration.upheld": None}),
        table="",
    ),
    _rule(
        "S-IDENT",
        W,
        ("可识别发布机关和年度", "Agency and year identifiable"),
        ("无法从标题或落款识别{missing}", "cannot identify the {missing_en} from the title or signature"),
        document.check_identity,
        OK,
        Example("没有标题也没有落款机关", agency=""),
        table="",
    ),
    _rule(
        "X-UNCHECKED",
        N,
        ("读取不确定，未核对", "Not checked: the reader was unsure"),
        (
            "{where}读取不确定（{reason}），涉及的 {count} 项勾稽关系（{rules}）未核对；"
            "这是读取问题，不是机关的填报错误",
            "{en}: the reader was unsure ({count} identities of {rules} not checked); not an agency fault",
        ),
        tables.check_unchecked,
        Example("新收一行按原样读出，勾稽关系全部核对", ONE_REQUEST),
        Example(
            "新收一行的数字无法唯一拆分，读取时记为空：不说“留空”，也不报勾稽错误",
            {**ONE_REQUEST, **UNREAD_ROW},
            notes=(UNDECIDABLE,),
        ),
        table="",
    ),
    _rule(
        "S-RESTART",
        W,
        ("部分内不重新使用部分序号", "No list numbered like the parts inside a part"),
        (
            "“{part}”之下又从“{first}”起编号至“{last}”（{count} 项），与六个部分的序号相同，"
            "易与部分标题混淆；应改用“（一）”“1.”等下一级序号",
            "inside part {part_en}, {count} items are numbered again from 一 like the parts",
        ),
        numbering.check_restart,
        Example(
            "总体情况下用“（一）”“（二）”分项",
            sections={"一": PART_ONE + "（一）主动公开。（二）依申请公开。"},
        ),
        Example(
            "总体情况下又用“一、”到“三、”分项",
            sections={"一": PART_ONE + "一、主动公开情况。二、依申请公开情况。三、平台建设情况。"},
        ),
        table="",
    ),
    _rule(
        "S-ORDER",
        W,
        ("部分序号依次排列", "Part ordinals in sequence"),
        ("部分标题“{heading}”序号有误：{what}", "part heading {heading!r} is out of sequence: {what_en}"),
        numbering.check_order,
        OK,
        Example(
            "第四部分标题误印为“三、”",
            sections={"四": None, "三": "三、政府信息公开行政复议、行政诉讼情况"},
        ),
        table="",
    ),
    _rule(
        "S-MIXED-NUMBERING",
        W,
        ("同一层级不混用两种序号", "One numbering system per list"),
        (
            "第{part}部分“{before}”之后接“{item}”：同一列表混用了“{before_style}”和“{style}”两种序号",
            "part {part}: {item!r} continues the list of {before!r} in another numbering system",
        ),
        numbering.check_mixed,
        Example(
            "分项依次为“（一）”“（二）”“（三）”",
            sections={"一": PART_ONE + "（一）主动公开。（二）依申请公开。（三）平台建设。"},
        ),
        Example(
            "分项为“（一）”“（二）”后接“3、”",
            sections={"一": PART_ONE + "（一）主动公开。（二）依申请公开。3、平台建设。"},
        ),
        table="",
    ),
    _rule(
        "S-DOUBLED",
        W,
        ("没有重复录入的词语", "No word typed twice"),
        (
            "第{part}部分“{sentence}”中“{word}{word}”疑为重复录入",
            "part {part}: {word!r} is typed twice in a row",
        ),
        wording.check_doubled,
        Example(
            "“常常”“人人”“认认真真”是正常的叠词",
            sections={
                "五": "存在的问题：常常人人认认真真地做，但公开内容还不够全面。改进措施：下一步将加强培训。"
            },
        ),
        Example(
            "“资金资金”重复录入",
            sections={"五": "存在的问题：财政资金资金信息公开不够全面。改进措施：下一步将加强培训。"},
        ),
        table="",
    ),
    _rule(
        "S-ALL-FINISHED",
        W,
        (
            "正文不称全部办结而表中仍有结转",
            "The text does not claim all finished while 三 carries some forward",
        ),
        (
            "第{part}部分称“{sentence}”，而表三“四、结转下年度继续办理”为 {count} 件",
            "part {part} says every request was finished, but table 三 carries {count} forward",
        ),
        wording.check_all_finished,
        Example(
            "结转 1 件，正文写明“1件申请结转下年度办理”",
            CARRIED,
            sections={"六": "1件申请结转下年度办理。本年度未收取信息处理费。"},
        ),
        Example(
            "结转 1 件，正文却称“均已按时办结”",
            CARRIED,
            sections={"六": "本年度收到的申请均已按时办结。本年度未收取信息处理费。"},
        ),
    ),
    _rule(
        "X-INFERRED",
        N,
        ("读取时推断的单元格", "Cells the reader inferred"),
        ("{message}（读取时推断，并非机关填报错误）", "{en} (inferred by the reader, not an agency fault)"),
        reading.check_inferred,
        OK,
        Example(
            "一行丢了一个数字，由勾稽关系确定为 0",
            notes=(
                Note(
                    "inferred",
                    "表三“（四）无法提供1.本机关不掌握相关政府信息”行“自然人”列在文件中缺失，"
                    "由表格勾稽关系唯一确定为 0",
                    "cell missing in the document; the table's identities determine it as 0",
                    "requests.unavailable_not_held.natural_person",
                ),
            ),
        ),
        table="",
    ),
    _rule(
        "X-SPLIT",
        N,
        ("连写数字按勾稽关系拆分", "Run-together digits split by the identities"),
        (
            "{name}的数字在原文中连写，{count} 个单元格按表格勾稽关系拆分得出（读取推断，请对照原文）",
            "table {key}: {count} cells split from run-together digits by the identities",
        ),
        reading.check_split,
        OK,
        Example(
            "“801000081”拆为 80、1、0、0、0、0、81", provenance={"requests.received.total": {"how": "split"}}
        ),
        table="",
    ),
    _rule(
        "X-UNREAD",
        W,
        ("读取不到或无法确定的单元格", "Cells the reader could not read or decide"),
        ("{message}（读取问题，请对照原文核对）", "{en} (reading problem; check the original)"),
        reading.check_unread,
        OK,
        Example(
            "表二没有“规章”行",
            notes=(
                Note(
                    "missing-row",
                    "表二“规章”行在文件中未找到，其数值记为空",
                    "row rules of table 二 is not in the document; its cells are null",
                    "proactive.rules",
                ),
            ),
        ),
        table="",
    ),
)

BY_ID = {rule.id: rule for rule in RULES}
