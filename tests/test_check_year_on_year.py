"""A batch checks each report alone, then adds the year-on-year rules: the same findings as `check`."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import RULES, Context, Finding, Rule, check, check_year_on_year, ordered
from gongkai.checks.examples import build
from gongkai.report import Report

from .strategies import reports

PARTS = ("本年度主动公开政府信息，依申请公开依法办理。", "平台建设不断加强，监督保障机制健全。", "")


def in_two_steps(report: Report, context: Context) -> list[Finding]:
    alone = check(report, replace(context, previous=None))
    return ordered(alone + check_year_on_year(report, Context(previous=context.previous)))


@given(reports("2021"), reports("2021"), st.sampled_from(PARTS), st.sampled_from(PARTS))
@settings(max_examples=60, deadline=None)
def test_own_checks_then_year_on_year_equal_check_with_both(
    report: Report, previous: Report, now: str, before: str
) -> None:
    previous.agency, previous.year = report.agency, (report.year or 2022) - 1
    report.sections, previous.sections = {"一": now}, {"一": before}
    context = Context(previous=previous, text=now)
    assert in_two_steps(report, context) == check(report, context)


@pytest.mark.parametrize("rule", [r for r in RULES if r.cross_year], ids=lambda r: r.id)
def test_the_year_on_year_rules_examples_give_the_same_findings_in_two_steps(rule: Rule) -> None:
    for example in (rule.passing, rule.failing):
        report, context = build(example)
        assert context.previous is not None
        assert in_two_steps(report, context) == check(report, context)


def test_without_last_year_no_year_on_year_rule_runs() -> None:
    report, _ = build(RULES[0].passing)
    assert check_year_on_year(report, Context()) == []
