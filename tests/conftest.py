"""Shared test helpers: where the real corpus lives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests assert behaviour, not speed: on a shared 2-core machine a slow example must not fail.
settings.register_profile("gongkai", deadline=None)
settings.load_profile("gongkai")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def gold_pairs() -> list[tuple[Path, Path]]:
    """Every corpus report that has a NAME.gold.json beside it."""
    pairs = []
    for gold in sorted(CORPUS.glob("*/*.gold.json")):
        stem = gold.name.removesuffix(".gold.json")
        sources = [p for p in gold.parent.glob(stem + ".*") if not p.name.endswith(".gold.json")]
        assert len(sources) == 1, f"expected one source for {gold}"
        pairs.append((sources[0], gold))
    return pairs


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"the shared corpus is missing at {CORPUS}"
    return CORPUS
