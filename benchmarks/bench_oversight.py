"""The supervisor's region overview for 5,000 agencies (issue 13: < 500 ms).

    .venv/bin/python benchmarks/bench_oversight.py [--agencies 5000]

A throwaway SQLite database (in a temporary GONGKAI_DATA_DIR) gets a province with 50 counties
and the rest of the agencies spread below them; four in five have filed their report on the year
(a few late, some returned or accepted, findings counted on each). Measured through the whole
Django stack in one process (the test client: middleware, session, permissions, template): the
overview page `GET /oversight/region/<province>/<year>/` for a 督查 of the province, and the
selector alone. The page lists every agency with its state, the missing and the late.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from _common import machine, median_ms, update_section

YEAR = 2024
COUNTIES = 50


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-oversight-") as data:
        os.environ["GONGKAI_DATA_DIR"] = data
        os.environ.pop("DATABASE_URL", None)
        print(run(args.agencies, Path(data)))


def run(total: int, data: Path) -> str:
    from gongkai.web.cli import migrate, setup

    setup()
    migrate()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from gongkai.web.agencies.models import Agency, AgencyKind, Level, Membership, Role
    from gongkai.web.oversight import selectors
    from gongkai.web.oversight.models import Status, Submission

    rng = random.Random(1)
    province = _agency("示例省人民政府", Level.PROVINCE, AgencyKind.GOVERNMENT, None)
    counties = [
        _agency(f"示例省第{n}县人民政府", Level.COUNTY, AgencyKind.GOVERNMENT, province)
        for n in range(COUNTIES)
    ]
    below = total - COUNTIES
    rows = []
    for n in range(below):
        county = counties[n % COUNTIES]
        township = n % 3 == 0
        rows.append(
            Agency(
                name=f"{county.name[:-4]}第{n}{'街道办事处' if township else '局'}",
                code=f"A{n}",
                level=Level.TOWNSHIP if township else Level.DEPARTMENT,
                kind=AgencyKind.TOWNSHIP if township else AgencyKind.DEPARTMENT,
                parent=county,
                path=f"tmp{n}",
            )
        )
    made = Agency.objects.bulk_create(rows, batch_size=1000)
    for agency in made:
        assert agency.parent is not None
        agency.path = Agency.make_path(agency.parent, agency.pk)
    Agency.objects.bulk_update(made, ["path"], batch_size=1000)
    due = timezone.make_aware(datetime(YEAR + 1, 1, 20, 10))
    statuses = [Status.SUBMITTED] * 6 + [Status.ACCEPTED] * 3 + [Status.RETURNED]
    filed = [
        Submission(
            agency=agency,
            year=YEAR,
            status=rng.choice(statuses),
            submitted_at=due + timedelta(days=rng.choice((-15, -5, 0, 3, 20))),
            errors=rng.choice((0, 0, 0, 1, 3)),
            warnings=rng.choice((0, 1, 2)),
            notices=rng.choice((0, 1)),
        )
        for agency in [*counties, *made]
        if rng.random() < 0.8
    ]
    Submission.objects.bulk_create(filed, batch_size=1000)
    user = User.objects.create_user("bench-supervisor", password="x")
    Membership.objects.create(user=user, agency=province, role=Role.SUPERVISE)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/oversight/region/{province.pk}/{YEAR}/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = len(response.content)
    page = median_ms(lambda: client.get(url), runs=15)
    selector = median_ms(lambda: selectors.overview(province, YEAR), runs=15)
    view = selectors.overview(province, YEAR)
    agencies = len(view.rows)
    body = f"""
## The supervisor's region overview (`bench_oversight.py`, issue 13)

Machine: {machine()}. Data: one province with {COUNTIES} counties and {agencies:,} agencies below it
in all; {len(view.reported):,} filed their report on {YEAR} ({len(view.late):,} late against the
deadline of their level), {len(view.missing):,} did not. SQLite, in one process through the whole
Django stack (the test client: middleware, session, permissions, the template with every row).

| measure | target | median |
|---|---|---|
| region overview page for {agencies:,} agencies ({size / 1024:,.0f} KB of HTML) | < 500 ms | {page:.0f} ms |
| the selector alone (two queries: the agencies, the filed reports) |  | {selector:.0f} ms |

The overview reads one row per agency and one per filed report, never a report's JSON: each
`Submission` keeps its current version's counts of errors, warnings and notices.

Reproduce: `.venv/bin/python benchmarks/bench_oversight.py` (a throwaway database; about a minute).
"""
    update_section("bench:oversight", body)
    return body


def _agency(name: str, level: str, kind: str, parent: object) -> object:
    from gongkai.web.agencies.models import Agency

    agency = Agency.objects.create(name=name, code=name, level=level, kind=kind, parent=parent, path=name)
    agency.path = Agency.make_path(parent, agency.pk)  # type: ignore[arg-type]
    agency.save(update_fields=("path",))
    return agency


if __name__ == "__main__":
    main()
