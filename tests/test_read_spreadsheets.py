"""Item 12: .ods, .xls and .et (Kingsoft's Excel 97 file) through LibreOffice Calc, equal to gold.

The XLSX writer's output of a seed's gold report is converted by LibreOffice itself, then read
through the legacy reader (Calc converts back to XLSX) and extracted.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from gongkai.extraction import extract
from gongkai.reading import load_bytes, sniff
from gongkai.report import Report
from gongkai.writing import write

from .conftest import CORPUS

GOLD = CORPUS / "seeds/003_b7c5689f3788d922.gold.json"


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (scripts/setup installs libreoffice-calc-nogui) is needed"
    folder = tmp_path_factory.mktemp("calc")
    source = folder / "report.xlsx"
    source.write_bytes(write(Report.from_json(json.loads(GOLD.read_text(encoding="utf-8"))), "xlsx"))
    for target in ("ods", "xls"):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                *("--headless", "--convert-to", target, "--outdir", str(folder), str(source)),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return {target: (folder / f"report.{target}").read_bytes() for target in ("ods", "xls")}


@pytest.mark.parametrize(
    ("name", "target", "kind"),
    [("r.ods", "ods", "odf"), ("r.xls", "xls", "legacy"), ("r.et", "xls", "legacy")],
)
def test_spreadsheet_reads_back_equal_to_gold(
    converted: dict[str, bytes], name: str, target: str, kind: str
) -> None:
    data = converted[target]
    assert sniff(data) == kind
    got = extract(load_bytes(data, name)).canonical()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for table in ("proactive", "requests", "appeals"):
        assert got[table] == gold[table], table
    assert (got["agency"], got["year"]) == (gold["agency"], gold["year"])
