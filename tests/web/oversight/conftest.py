"""Reports to file: one consistent report built from the desk's records, and one with a broken sum."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.formats import CellRef
from gongkai.report import Report
from gongkai.web.reports.services import build_annual_report

from ..conftest import Tree

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
YEAR = 2024
RECEIVED = CellRef("requests", "received", "natural_person")
RECEIVED_TOTAL = CellRef("requests", "received", "total")


def consistent(tree: Tree, agency: object = None, year: int = YEAR) -> Report:
    """The street's report on YEAR from its (empty) records: identities hold by construction;
    the narrative is edited so no draft mark is left."""
    report = build_annual_report(agency or tree.street, year)  # type: ignore[arg-type]
    report.sections = {k: f"本机关{year}年度第{k}部分情况说明。" for k in report.sections}
    return report


def broken(tree: Tree) -> Report:
    """The same report with a natural person's request counted in a column but not in the total."""
    report = consistent(tree)
    report.set(RECEIVED, 1)
    return report


@pytest.fixture
def report(tree: Tree) -> Report:
    return consistent(tree)
