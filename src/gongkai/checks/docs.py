"""docs/rules.md, generated from the catalogue: `python -m gongkai.checks.docs [PATH]`.

The page shows each rule's failing example together with the findings it really
produces, so the documentation cannot drift from the code (a test compares the file).
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import check
from .catalogue import RULES
from .examples import build, describe
from .model import Example, Rule

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "docs" / "rules.md"
HEADER = """# 检查规则 (gongkai check rules)

<!-- 由 `python -m gongkai.checks.docs` 从 src/gongkai/checks/catalogue.py 生成，请勿手工编辑。 -->

`gongkai check` 按下列规则检查年度报告。R1–R20 对应 shared/spec/domain-notes.md §5 的同号规则；
T… 为表格内容规则，S… 为文书规则，X… 说明读取时推断或无法读取的单元格（不是机关的填报错误）。
严重程度：错误（error，报告按发布内容有误）、警告（warning，需要审核人判断）、提示（notice，供参考）。
同一规则在无法确定时会降低严重程度（例如含空白单元格的勾稽关系只给“无法核对”提示）。

| 编号 | 规则 | 严重程度 | 适用格式 |
|---|---|---|---|
"""


def _example(title: str, example: Example) -> list[str]:
    return [f"**{title}**", "", *(f"- {line}" for line in describe(example)), ""]


def rule_section(rule: Rule) -> list[str]:
    report, context = build(rule.failing)
    produced = [f for f in check(report, context) if f.rule == rule.id]
    lines = [
        f"## {rule.id} {rule.title_zh}",
        "",
        f"*{rule.title_en}* — {rule.severity.zh}（{rule.severity.value}）；适用格式 {'、'.join(rule.formats)}"
        + ("；需要上年度报告" if rule.cross_year else ""),
        "",
        rule.description,
        "",
        f"消息模板：“{rule.template_zh}” / “{rule.template_en}”",
        "",
        *_example("通过的例子", rule.passing),
        *_example("不通过的例子", rule.failing),
        "检查结果：",
        "",
        *(f"- {f.severity.zh} {f.rule}：{f.message_zh}" for f in produced),
        "",
    ]
    return lines


def render_docs() -> str:
    table = [f"| {r.id} | {r.title_zh} | {r.severity.zh} | {'、'.join(r.formats)} |" for r in RULES]
    body = [line for rule in RULES for line in rule_section(rule)]
    return HEADER + "\n".join(table) + "\n\n" + "\n".join(body).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_docs(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
