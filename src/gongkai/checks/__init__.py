"""Checking a report like the strictest reviewer: `check(report, context) -> [Finding]`.

The core is pure: it looks only at the report and the context it is given (last year's
report, the document text), so the command line, the web desk and the tests share it.
Rules live in `catalogue.RULES`; docs/rules.md is generated from them (`gongkai.checks.docs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..report import Report
from .catalogue import BY_ID, RULES
from .model import Context, Example, Finding, Rule, Severity

TABLE_ORDER = {"": 0, "proactive": 1, "requests": 2, "appeals": 3}
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}
RULE_ORDER = {rule.id: index for index, rule in enumerate(RULES)}


def applies(rule: Rule, report: Report) -> bool:
    if not rule.table:
        return True
    fmt = report.proactive_format or report.format if rule.table == "proactive" else report.format
    return fmt in rule.formats


def check(report: Report, context: Context | None = None) -> list[Finding]:
    """Every finding of every applicable rule, by table, then severity, then rule."""
    context = replace(context) if context is not None else Context()  # its own memo for this run
    return ordered(_run(report, context, lambda rule: context.previous is not None or not rule.cross_year))


def check_year_on_year(report: Report, context: Context) -> list[Finding]:
    """Only the rules that compare with `context.previous`, in `check`'s order.

    A batch checks each report alone as it reads it, when its previous year is not yet known,
    and adds these once the years are paired: `ordered(check(report, Context(text=...)) +
    check_year_on_year(report, Context(previous=...)))` equals `check` given both.
    """
    context = replace(context)
    return ordered(_run(report, context, lambda rule: context.previous is not None and rule.cross_year))


def ordered(findings: list[Finding]) -> list[Finding]:
    """Findings by table, then severity, then rule (a stable sort: a rule's own order is kept)."""
    return sorted(
        findings, key=lambda f: (TABLE_ORDER.get(f.table, 0), SEVERITY_ORDER[f.severity], RULE_ORDER[f.rule])
    )


def _run(report: Report, context: Context, wanted: Callable[[Rule], bool]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES:
        if applies(rule, report) and wanted(rule):
            findings.extend(_located(finding, report) for finding in rule.run(rule, report, context))
    return findings


def _located(finding: Finding, report: Report) -> Finding:
    """The finding with where its cells are printed, as the reader recorded it."""
    locations = tuple(
        {"cell": cell, **report.provenance[cell]} for cell in finding.cells if cell in report.provenance
    )
    if not locations:
        return finding
    return replace(finding, locations=locations)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


__all__ = [
    "BY_ID",
    "RULES",
    "Context",
    "Example",
    "Finding",
    "Rule",
    "Severity",
    "check",
    "check_year_on_year",
    "errors",
    "ordered",
]
