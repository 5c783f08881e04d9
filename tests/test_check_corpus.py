"""The real corpus: exactly the printed breaks that NOTES.md lists, and nothing falsely accused."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import gongkai
from gongkai.checks import Context, Finding, Severity, check
from gongkai.reading import load

from .conftest import CORPUS, gold_pairs

ARITHMETIC = {"R1", "R2", "R3", "R4"}
SOURCES = [source for source, _ in gold_pairs()]

# real/NOTES.md, "identities that FAIL as printed": (rule, the identity's last cell).
BREAKS: dict[str, set[tuple[str, str]]] = {
    "2021_citydept_pingtan_gaj": {
        ("R1", "requests.carried_forward.natural_person"),
        ("R1", "requests.carried_forward.total"),
    },
    "2022_township_pingtan_junshan": {
        ("R2", "requests.handled_total.natural_person"),
        ("R2", "requests.handled_total.other_org"),
        ("R2", "requests.handled_total.total"),
    },
    "2025_township_pingtan_haitan": {
        ("R3", f"requests.{row}.total")
        for row in ("received", "partly_disclosed", "unavailable_not_held", "handled_total")
    },
}
# The Shanghai report leaves 总计 cells blank: NOTES.md calls these "not checkable".
NOT_CHECKABLE = {
    "2019_provincial_shanghai_gov_office_htmltabs": {
        *(
            ("R3", f"requests.{row}.total")
            for row in (
                "disclosed",
                "partly_disclosed",
                "withheld_state_secret",
                "withheld_internal",
                "withheld_process",
                "withheld_query",
                "unavailable_not_held",
                "unavailable_needs_creation",
                "unavailable_unclear",
                "rejected_petition",
                "rejected_repeat",
            )
        ),
        *(("R2", f"requests.handled_total.{column}") for column in ("research", "public_interest", "total")),
    }
}
# Errors that are not arithmetic but real: table 三 in the 2019 trial template in a 2023/2024 report.
OTHER_ERRORS = {"2023_township_pingtan_haitan": {"R7"}, "hzq2024_working": {"R7"}}


def stem(path: Path) -> str:
    return path.name.split(".")[0]


@cache
def findings(path: Path) -> tuple[Finding, ...]:
    return tuple(check(gongkai.read(path), Context(text=load(path).text())))


@pytest.mark.parametrize("source", SOURCES, ids=[stem(p) for p in SOURCES])
def test_arithmetic_errors_are_exactly_the_printed_breaks(source: Path) -> None:
    got = {
        (f.rule, f.cells[-1])
        for f in findings(source)
        if f.rule in ARITHMETIC and f.severity is Severity.ERROR
    }
    assert got == BREAKS.get(stem(source), set())


@pytest.mark.parametrize("source", SOURCES, ids=[stem(p) for p in SOURCES])
def test_blank_cells_make_identities_not_checkable_not_broken(source: Path) -> None:
    got = {
        (f.rule, f.cells[-1])
        for f in findings(source)
        if f.rule in ARITHMETIC and f.severity is Severity.NOTICE
    }
    assert NOT_CHECKABLE.get(stem(source), set()) <= got
    if stem(source) not in NOT_CHECKABLE:
        assert not got


@pytest.mark.parametrize("source", SOURCES, ids=[stem(p) for p in SOURCES])
def test_no_other_error_but_the_real_ones(source: Path) -> None:
    got = {f.rule for f in findings(source) if f.severity is Severity.ERROR and f.rule not in ARITHMETIC}
    assert got == OTHER_ERRORS.get(stem(source), set())


def _seed(number: str) -> Path:
    return next((CORPUS / "seeds").glob(f"{number}_*.txt"))


def test_seed_001_lost_cell_is_an_inferred_notice() -> None:
    inferred = [f for f in findings(_seed("001")) if f.rule == "X-INFERRED"]
    assert [(f.severity, f.cells) for f in inferred] == [
        (Severity.NOTICE, ("requests.unavailable_not_held.natural_person",))
    ]


@pytest.mark.parametrize("number", ["001", "003"])
def test_seeds_printing_a_variant_column_label_get_a_label_notice(number: str) -> None:
    labels = [f for f in findings(_seed(number)) if f.rule == "T-LABEL"]
    assert any("本年度止件数" in f.message_zh and "本年废止件数" in f.message_zh for f in labels)
    assert all(f.severity is Severity.NOTICE for f in labels)


def test_seed_001_variant_row_label_names_the_official_label() -> None:
    labels = [f for f in findings(_seed("001")) if f.cells == ("requests.withheld_prohibited",)]
    assert len(labels) == 1
    assert "2.其他法律法规禁止公开" in labels[0].message_zh
    assert "2.其他法律行政法规禁止公开" in labels[0].message_zh


def test_scoped_or_detail_matching_narrative_is_not_an_error() -> None:
    # 2025 haitan: the prose says 2 requests, the 总计 printed 0 but the six columns sum to 2.
    source = CORPUS / "real" / "2025_township_pingtan_haitan.txt"
    narrative = [f for f in findings(source) if f.rule == "R11"]
    assert narrative and all(f.severity is Severity.NOTICE for f in narrative)


def test_mixed_template_is_reported_on_table_three() -> None:
    source = CORPUS / "real" / "hzq2024_working.pdf"
    template = [f for f in findings(source) if f.rule == "R7"]
    assert [(f.table, f.severity) for f in template] == [("requests", Severity.ERROR)]
    assert "（六）其他处理" in template[0].message_zh


def test_fee_of_a_district_government_is_only_a_notice() -> None:
    fee = [f for f in findings(CORPUS / "real" / "hzq2024_working.pdf") if f.rule == "R14"]
    assert [f.severity for f in fee] == [Severity.NOTICE]
    assert "7545" in fee[0].message_zh
