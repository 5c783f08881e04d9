"""The desk's commands: the demo on an empty database, and the report as canonical JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from gongkai.cli import main
from gongkai.report import SCHEMA, Report
from gongkai.web.desk.demo import generate
from gongkai.web.desk.models import Agency, AuditLog, Membership, Request


@pytest.mark.django_db
def test_demo_then_report_json(capsys: pytest.CaptureFixture[str], settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # the command makes the SQLite directory; not in the working tree
    assert main(["demo", "--agencies", "15", "--requests", "400", "--year", "2024", "--seed", "3"]) == 0
    err = capsys.readouterr().err
    assert "demo_handle" in err and "gongkai-demo" in err
    assert Agency.objects.count() == 15 and Request.objects.count() == 400
    assert Membership.objects.count() == 6 and AuditLog.objects.filter(action="demo.generate").exists()
    assert main(["demo"]) == 1  # never on a database that has data

    root = Agency.objects.get(parent=None)
    assert main(["report", "--agency", root.name, "--year", "2024", "--rollup", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == SCHEMA and data["year"] == 2024 and data["agency"] == root.name
    report = Report.from_json(data)
    assert report.requests["received"]["total"] + report.requests["carried_over"]["total"] == (
        report.requests["handled_total"]["total"] + report.requests["carried_forward"]["total"]
    )
    assert main(["report", "--agency", str(root.pk), "--year", "2024", "--json"]) == 0
    single = json.loads(capsys.readouterr().out)
    assert single["requests"]["received"]["total"] <= data["requests"]["received"]["total"]
    assert main(["report", "--agency", "没有这个机关", "--year", "2024"]) == 1


def _demo_rows() -> list[tuple[str, date, str | None]]:
    with transaction.atomic():
        generate(agencies=5, requests=50, year=2024, seed=9, today=date(2025, 3, 1))
        rows = list(
            Request.objects.order_by("received_on", "tracking_code").values_list(
                "tracking_code", "received_on", "outcome"
            )
        )
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_demo_is_deterministic() -> None:
    first = _demo_rows()
    assert len({code for code, _, _ in first}) == 50
    assert _demo_rows() == first
