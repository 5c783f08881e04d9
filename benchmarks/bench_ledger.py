"""The 台账: exporting 100,000 requests to XLSX and CSV, and importing a 10,000-row ledger.

    .venv/bin/python benchmarks/bench_ledger.py [--data DIR]

DIR (default /tmp/gongkai-bench-ledger) keeps a SQLite database of 100,000 demo requests over 50
agencies (`gongkai demo`, made on the first run). The export runs as a 督查 over the whole tree,
so every row goes through the privacy masking, with each request's clock derived; each export
runs in a fresh forked process whose peak resident memory is reported, for 10,000 and for all
100,000 rows, to show that memory does not grow with the rows. The import reads and checks a
10,000-row CSV ledger, registers every row through the registration service (half of them closed
with an outcome), then imports the same file again (every row found and skipped).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _common import machine, peak_rss_mb, update_section

AGENCIES, REQUESTS, LEDGER_ROWS = 50, 100_000, 10_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("/tmp/gongkai-bench-ledger"))
    args = parser.parse_args()
    data = args.data.resolve()
    os.environ.pop("DATABASE_URL", None)
    os.environ["GONGKAI_DATA_DIR"] = str(data)
    if not (data / "gongkai.sqlite3").exists():
        print(f"generating {REQUESTS:,} requests over {AGENCIES} agencies in {data} ...", file=sys.stderr)
        demo = ["demo", "--agencies", str(AGENCIES), "--requests", str(REQUESTS), "--seed", "1"]
        subprocess.run([sys.executable, "-m", "gongkai.cli", *demo], check=True)
    from gongkai.web.cli import migrate, setup

    setup()
    migrate()
    export = {fmt: {n: measure_export(fmt, n) for n in (10_000, REQUESTS)} for fmt in ("csv", "xlsx")}
    first, again = measure_import()
    lines = [
        "Measured by `benchmarks/bench_ledger.py` (SQLite, one process; "
        f"{machine()}). A 督查 over the whole tree exports, so every row is masked and its clock derived.",
        "",
        "| job | rows | rows/s | peak memory |",
        "|---|---:|---:|---:|",
    ]
    for fmt, runs in export.items():
        for n, (rate, peak) in runs.items():
            lines.append(f"| 台账 export to {fmt.upper()} | {n:,} | {rate:,.0f} | {peak:.0f} MB |")
    lines.append(
        f"| ledger import (read, check, register; half closed) | {LEDGER_ROWS:,} | {first:,.0f} | — |"
    )
    lines.append(
        f"| the same ledger again (every row found, nothing written) | {LEDGER_ROWS:,} | {again:,.0f} | — |"
    )
    lines += [
        "",
        "Peak memory is the forked process's peak resident set, Django and the interpreter included. "
        "Rows are read 1,000 ids at a time and written as they come (CSV into the response, XLSX "
        "through `writing.xlsx_sheet.write_sheet`, XlsxWriter in constant-memory mode, into a "
        "temporary file); what grows from 10,000 to 100,000 rows is the list of ids in list order "
        "and the per-process clock cache, which is capped at 20,000 clocks. About half of the "
        "export's time is `privacy.applicant_fields`, whose two `get_FOO_display` calls hash "
        "Django's lazy choice labels on every row.",
        "",
        "Reproduce: `.venv/bin/python benchmarks/bench_ledger.py` (the first run makes the demo "
        "database, about 8 minutes).",
    ]
    update_section("bench:ledger", "## 台账 export and ledger import\n\n" + "\n".join(lines))
    print("\n".join(lines))


def _viewer() -> Any:
    from django.contrib.auth.models import User

    from gongkai.web.agencies.models import Agency, Membership, Role

    user, _ = User.objects.get_or_create(username="bench-supervisor")
    root = Agency.objects.order_by("path").first()
    Membership.objects.get_or_create(user=user, agency=root, role=Role.SUPERVISE)
    return user


def measure_export(fmt: str, rows: int) -> tuple[float, float]:
    from django.db import connections

    from gongkai.web.requests import ledger, selectors
    from gongkai.writing.xlsx_sheet import write_sheet

    user = _viewer()
    timing = Path(tempfile.mkstemp()[1])
    connections.close_all()  # the forked child opens its own connection

    def job() -> None:
        qs = selectors.filtered(user, selectors.ListFilter())[:rows]
        start = time.perf_counter()
        made = ledger.export_rows(user, qs)
        if fmt == "csv":
            with open(os.devnull, "wb") as sink:
                for line in ledger.csv_lines(made):
                    sink.write(line)
        else:
            with tempfile.TemporaryFile() as spool:
                write_sheet(spool, "台账", made)
        timing.write_text(str(time.perf_counter() - start))

    peak = peak_rss_mb(job)
    seconds = float(timing.read_text())
    timing.unlink()
    return rows / seconds, peak


def resident_id(i: int) -> str:
    """A distinct 居民身份证号码 with a valid check digit per row (the import checks it)."""
    from stdnum.iso7064 import mod_11_2

    body = f"110101{date(1950, 1, 1) + timedelta(days=i // 1000):%Y%m%d}{i % 1000:03d}"
    return body + mod_11_2.calc_check_digit(body)


def ledger_csv(agency: str) -> bytes:
    from gongkai.web.requests.ledger import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    start = date(2025, 1, 6)
    for i in range(LEDGER_ROWS):
        received = start + timedelta(days=i % 300)
        closed = received + timedelta(days=14) if i % 2 else None
        writer.writerow(
            [
                "", agency, received.isoformat(), "当面提交", "自然人", f"台账{i}", "居民身份证",
                resident_id(i), "13800000000", "示例路1号", "", f"申请公开第{i}号文件", "纸质文本",
                "", "", "", "", closed.isoformat() if closed else "", "（一）予以公开" if closed else "",
                "第二十七条" if closed else "", "", "",
            ]
        )  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


def measure_import() -> tuple[float, float]:
    from django.contrib.auth.models import User

    from gongkai.web.agencies.models import Agency, AgencyKind, Level, Membership, Role
    from gongkai.web.requests import ledger
    from gongkai.web.requests.services.ledger import import_ledger

    agency = Agency.objects.filter(code="bench-ledger").first()
    if agency is None:
        root = Agency.objects.order_by("path").first()
        agency = Agency.objects.create(
            name="台账导入基准街道", code="bench-ledger", level=Level.TOWNSHIP, kind=AgencyKind.TOWNSHIP,
            parent=root, path="bench-ledger",
        )  # fmt: skip
        agency.path = Agency.make_path(root, agency.pk)
        agency.save(update_fields=("path",))
    clerk, _ = User.objects.get_or_create(username="bench-register")
    Membership.objects.get_or_create(user=clerk, agency=agency, role=Role.REGISTER)
    agency.requests.all().delete()
    data = ledger_csv(agency.name)
    rates = []
    for _ in range(2):
        start = time.perf_counter()
        done = import_ledger(clerk, agency, ledger.read_ledger(data, "ledger.csv"))
        rates.append(LEDGER_ROWS / (time.perf_counter() - start))
        assert not done.refused, done.refused[:3]
    return rates[0], rates[1]


if __name__ == "__main__":
    main()
