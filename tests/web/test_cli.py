"""The desk's commands: the demo on an empty database, and the report as canonical JSON."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from gongkai.cli import main
from gongkai.report import SCHEMA, Report
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.core.models import AuditLog
from gongkai.web.demo import generate
from gongkai.web.requests.models import Request


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


def test_serve_runs_the_desk_under_granian_with_the_demo(tmp_path: Path) -> None:
    """What `scripts/run` does, on a fresh data directory: migrate, make the demo, serve pages."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"GONGKAI_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "gongkai.cli", "serve", "--port", str(port), "--workers", "2"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                    assert json.loads(response.read()) == {"status": "ok"}
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as response:
            assert "政府信息公开申请办理系统" in response.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/core/desk.css", timeout=5) as response:
            assert response.headers["Content-Type"] == "text/css" and b"{" in response.read()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "granian" in output and "demo_register" in output
    assert (tmp_path / "gongkai.sqlite3").exists()


def _report_in(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "gongkai.cli", "report", "--agency", "示例市人民政府", "--year", "2025"]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_report_without_a_database_says_so_in_chinese_and_leaves_no_file(tmp_path: Path) -> None:
    """Run outside the checkout with no setting: the default data directory is the user's, and a
    missing database is said, not created."""
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir(), elsewhere.mkdir()
    drop = ("DATABASE_URL", "GONGKAI_DATA_DIR", "XDG_DATA_HOME", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in drop} | {"HOME": str(home)}
    done = _report_in(elsewhere, env)
    default = home / ".local" / "share" / "gongkai" / "gongkai.sqlite3"
    assert done.returncode == 1, done.stderr
    assert f"找不到数据库文件 {default}" in done.stderr and "Traceback" not in done.stderr
    assert list(elsewhere.iterdir()) == [] and not default.parent.exists()

    # An empty (unmigrated) database file in a chosen data directory.
    data = tmp_path / "data"
    data.mkdir()
    (data / "gongkai.sqlite3").touch()
    done = _report_in(elsewhere, env | {"GONGKAI_DATA_DIR": str(data)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "数据库尚未初始化" in done.stderr and "gongkai manage migrate" in done.stderr
    assert sorted(p.name for p in data.iterdir()) == ["gongkai.sqlite3"]
