"""Accuracy on real reports: every gold file in the shared corpus reads back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gongkai

from .conftest import gold_pairs

PAIRS = gold_pairs()


def test_corpus_has_all_gold_files() -> None:
    # The seeds and the real folder: five plus eleven reports with gold.
    assert len(PAIRS) >= 16


@pytest.mark.parametrize(("source", "gold"), PAIRS, ids=[p[0].name for p in PAIRS])
def test_reads_gold_exactly(source: Path, gold: Path) -> None:
    expected = json.loads(gold.read_text(encoding="utf-8"))
    unverified = set(expected.pop("_unverified", []))
    got = gongkai.read(source).canonical()
    assert {k: got[k] for k in ("schema", "format", "agency", "year")} == {
        k: expected[k] for k in ("schema", "format", "agency", "year")
    }
    assert got.get("proactive_format") == expected.get("proactive_format")
    for table in ("proactive", "requests", "appeals"):
        for row, columns in expected[table].items():
            for column, value in columns.items():
                if f"{table}.{row}.{column}" in unverified:
                    continue
                assert got[table][row][column] == value, f"{table}.{row}.{column}"
    assert set(got) == set(expected), "no extra or missing top-level keys in the canonical form"
