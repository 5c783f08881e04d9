"""The lock file pins every dependency pyproject.toml declares (scripts/lock keeps them together)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).parents[1]


def _name(requirement: str) -> str:
    """The normalised project name of a requirement string ("psycopg[binary]>=3.1,<4" -> "psycopg")."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group()).lower()


def _declared() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in ("dev", "web", "data"):
        requirements += project["optional-dependencies"][extra]
    return {_name(r): r for r in requirements}


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {_name(m.group(1)): m.group(2) for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.M)}


def test_every_declared_dependency_is_locked_within_its_bounds() -> None:
    declared, locked = _declared(), _locked()
    missing = sorted(set(declared) - set(locked))
    assert not missing, f"run scripts/lock: not in requirements.lock: {missing}"
    outside = [r for name, r in declared.items() if not Requirement(r).specifier.contains(locked[name])]
    assert not outside, f"run scripts/lock: locked outside the declared range: {outside}"


def test_every_declared_dependency_has_an_upper_bound() -> None:
    unbounded = [r for r in _declared().values() if "<" not in r and "==" not in r]
    assert not unbounded, unbounded


def test_every_locked_package_carries_a_hash() -> None:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
    assert blocks and all("--hash=sha256:" in b for b in blocks if "==" in b.split("\n")[0])
