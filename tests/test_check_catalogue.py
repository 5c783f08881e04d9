"""The catalogue is complete: every rule documented, with a passing and a failing example that behave."""

from __future__ import annotations

import dataclasses

import pytest

from gongkai.checks import RULES, Example, check
from gongkai.checks.docs import DEFAULT_PATH, render_docs
from gongkai.checks.examples import build
from gongkai.checks.tables import RULE_OF_IDENTITY
from gongkai.formats import FORMATS, Identity

IDS = [rule.id for rule in RULES]


def test_ids_are_unique() -> None:
    assert len(IDS) == len(set(IDS))


def test_covers_the_published_report_rules_of_the_domain_notes() -> None:
    # R21 is about a request system's records, not a published report.
    assert {f"R{n}" for n in range(1, 21)} <= set(IDS)


def test_every_declared_identity_family_has_a_rule() -> None:
    families = {i.rule for fmt in FORMATS.values() for table in fmt.tables for i in table.identities}
    assert families <= set(RULE_OF_IDENTITY)
    assert set(RULE_OF_IDENTITY.values()) <= set(IDS)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_is_documented(rule: object) -> None:
    from gongkai.checks import Rule

    assert isinstance(rule, Rule)
    assert rule.description and rule.title_zh and rule.title_en
    assert rule.template_zh and rule.template_en
    assert isinstance(rule.passing, Example) and isinstance(rule.failing, Example)
    assert rule.formats and set(rule.formats) <= set(FORMATS)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_passing_example_passes(rule: object) -> None:
    from gongkai.checks import Rule

    assert isinstance(rule, Rule)
    report, context = build(rule.passing)
    assert [f for f in check(report, context) if f.rule == rule.id] == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_failing_example_fails(rule: object) -> None:
    from gongkai.checks import Rule

    assert isinstance(rule, Rule)
    report, context = build(rule.failing)
    found = [f for f in check(report, context) if f.rule == rule.id]
    assert found
    assert any(f.severity is rule.severity for f in found)


@pytest.mark.parametrize(("fmt", "year"), [("2021", 2023), ("2019", 2020)])
def test_the_base_of_all_examples_is_clean(fmt: str, year: int) -> None:
    report, context = build(Example("基础报告", format=fmt, year=year))
    assert check(report, context) == []


def test_docs_are_up_to_date() -> None:
    assert DEFAULT_PATH.read_text(encoding="utf-8") == render_docs(), (
        "docs/rules.md is out of date: run python -m gongkai.checks.docs"
    )


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_a_finding_read_back_from_its_json_says_the_same_with_the_same_fingerprint(rule: object) -> None:
    from gongkai.checks import Finding, Rule

    assert isinstance(rule, Rule)
    found = check(*build(rule.failing))
    assert found
    for finding in found:
        again = Finding.from_json(finding.to_json())
        assert again.to_json() == finding.to_json()
        assert (again.rule, again.severity, again.cells, again.locations) == (
            finding.rule,
            finding.severity,
            finding.cells,
            finding.locations,
        )


def test_each_identity_picks_its_own_values_as_a_tuple() -> None:
    # a getter per identity picks its values out of the table's values; one cell still gives a tuple
    table = FORMATS["2021"].tables[0]
    cells = table.cells()
    one = Identity("row-sum", (cells[2],), ())
    for identity, pick in dataclasses.replace(table, identities=(*table.identities, one)).families["row-sum"]:
        values = list(range(len(cells)))
        assert pick(values) == tuple(cells.index(ref) for ref in identity.cells)
