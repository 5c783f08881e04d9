"""The public portal on 1,000,000 published register items, on SQLite or PostgreSQL.

    .venv/bin/python benchmarks/bench_portal.py [--data DIR] [--items N]
    scripts/with-postgres .venv/bin/python benchmarks/bench_portal.py --postgres [--items N]

Needs wrk, the HTTP load generator (Debian package `wrk`: `apt-get install wrk`).

DIR (default /tmp/gongkai-bench-portal) keeps the SQLite database between runs; with --postgres the
database is the one DATABASE_URL names (a throwaway cluster, filled afresh). When it is empty, a
small desk demo is made (`gongkai demo --agencies 100 --requests 1000`) and N items (default
1,000,000) are added to the registers of its street offices and departments: the core's demo
register (`gongkai.proactive.demo`), year after year, published, with their search pieces (the
bigram index the publishing service writes), inserted in bulk.

Measured through the whole stack as `gongkai serve` runs it (Granian, its default workers) on
127.0.0.1, wrk keeping 20 keep-alive connections busy: the public item page, an agency's catalogue
page (法定主动公开内容, counts per area over its items) and search for a Chinese phrase over all
agencies, each beside a static file as the server's floor. Requests/s per core is the rate divided
by the machine's cores, which wrk and the server share.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from _common import calibration_ms, machine, update_section
from bench_desk import WRK_REPORT, free_port, get, wait_for, wrk

ITEMS = 1_000_000
AGENCIES, DEMO_REQUESTS = 100, 1000
ROUNDS = 3
TIMEOUT = ("--timeout", "10s")  # wrk waits this long for a slow search before counting it failed
SEARCHES = ("最低生活保障", "安全生产检查", "公益性岗位招聘")
SPREAD = 100_000  # items the "item (spread)" load picks from at random: mostly pages not yet kept
BATCH = 20_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("/tmp/gongkai-bench-portal"))
    parser.add_argument("--items", type=int, default=ITEMS)
    parser.add_argument("--postgres", action="store_true", help="on the database DATABASE_URL names")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench_portal needs wrk, the HTTP load generator: apt-get install wrk")
    if args.postgres and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("--postgres runs under scripts/with-postgres (DATABASE_URL names the database)")
    data = args.data.resolve()
    env = {k: v for k, v in os.environ.items() if args.postgres or k != "DATABASE_URL"}
    env["GONGKAI_DATA_DIR"] = str(data)
    if args.measure:
        os.environ.update(env)
        measure(args.items)
        return
    data.mkdir(parents=True, exist_ok=True)
    if args.postgres or not (data / "gongkai.sqlite3").exists():
        gongkai = [sys.executable, "-m", "gongkai.cli"]
        demo = ["demo", "--agencies", str(AGENCIES), "--requests", str(DEMO_REQUESTS), "--seed", "1"]
        subprocess.run([*gongkai, *demo], env=env, check=True)
    me = [sys.executable, str(Path(__file__).resolve()), "--measure", "--data", str(data)]
    subprocess.run([*me, "--items", str(args.items)], env=env, check=True)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()


def fill(target: int) -> None:
    """Add published items (and their search pieces) until the database holds `target`."""
    from django.db import connection, transaction

    from gongkai.proactive.demo import DEMO_CATALOGUE, DEMO_ORG_CODE
    from gongkai.web.agencies.models import Agency, AgencyKind
    from gongkai.web.proactive import listing, search
    from gongkai.web.proactive.models import Item, ItemState, RegisterSettings, new_key

    have = Item.objects.filter(state=ItemState.PUBLISHED).count()
    if have >= target:
        return
    agencies = list(Agency.objects.exclude(kind=AgencyKind.GOVERNMENT).order_by("path"))
    for agency in agencies:
        RegisterSettings.objects.get_or_create(
            agency=agency, defaults={"catalogue": DEMO_CATALOGUE.to_data(), "org_code": DEMO_ORG_CODE}
        )
    from gongkai.clock import WorkCalendar
    from gongkai.proactive.demo import demo_register

    start = time.perf_counter()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    calendar = WorkCalendar()
    columns = (
        "agency_id, title, body, kind, area, matter1, matter2, channels, index_number, document_number, "
        "publisher, formed, issued, effective, expires, repealed, decisions, state, step, published, "
        "published_at, withdrawn_reason, review_key, created_at, updated_at"
    )
    marks = ", ".join(["%s"] * 25)
    year, seed = 2000, 1
    while have < target:
        rows, texts = [], []
        while len(rows) < BATCH and have + len(rows) < target:
            agency = agencies[(seed - 1) % len(agencies)]
            for it in demo_register(year, seed=seed, agency=agency.name, calendar=calendar):
                if it.published is None or have + len(rows) >= target:
                    continue
                body = f"{agency.name}{it.title}。"
                rows.append(
                    (
                        agency.pk, it.title, body, it.kind, it.area, "", "", json.dumps(list(it.channels)),
                        it.index_number, it.document_number, it.publisher, it.formed, it.issued,
                        it.effective, it.expires, it.repealed, it.decisions, ItemState.PUBLISHED.value, 0,
                        it.published, f"{it.published} 09:00:00", "", new_key(), now, now,
                    )
                )  # fmt: skip
                texts.append(f"{it.title}\n{body}")
            seed += 1
            year = 2000 + seed % 25
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM proactive_item")
            first = int(cursor.fetchone()[0]) + 1
            cursor.executemany(f"INSERT INTO proactive_item ({columns}) VALUES ({marks})", rows)
            cursor.execute("SELECT id FROM proactive_item WHERE id >= %s ORDER BY id", [first])
            ids = [i for (i,) in cursor.fetchall()]
            grams = [(g, i) for i, text in zip(ids, texts, strict=True) for g in sorted(search.grams(text))]
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_grams (gram TEXT, item_id BIGINT)")
            if connection.vendor == "postgresql":  # COPY: many times faster than INSERTs
                with cursor.cursor.copy("COPY bench_grams (gram, item_id) FROM STDIN") as copy:
                    for row in grams:
                        copy.write_row(row)
            else:
                cursor.executemany("INSERT INTO bench_grams (gram, item_id) VALUES (%s, %s)", grams)
        have += len(rows)
        rate = have / (time.perf_counter() - start)
        print(f"{have:,} items ({rate:,.0f}/s)", file=sys.stderr)
    # The pieces go into the index in its own order: appending to an unindexed table and sorting
    # once is many times faster than inserting 30 million rows into the (gram, item) index at random.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO proactive_searchgram (gram, item_id) SELECT gram, item_id FROM bench_grams "
            "ORDER BY gram, item_id"
        )
        cursor.execute("DROP TABLE bench_grams")
    print(f"search pieces indexed after {time.perf_counter() - start:.0f} s", file=sys.stderr)
    listing.recount()  # the per-area counts the publishing services keep, for the bulk-loaded items
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(target: int) -> None:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from gongkai.web.proactive.models import Item, ItemState, SearchGram

    call_command("migrate", verbosity=0, interactive=False)
    fill(target)
    published = Item.objects.filter(state=ItemState.PUBLISHED)
    busiest = published.values("agency").annotate(n=Count("pk")).order_by("-n").first() or {}
    item = published.filter(agency=busiest["agency"]).order_by("-published_at").first()
    assert item is not None
    results: dict[str, Any] = {
        "items": published.count(),
        "grams": SearchGram.objects.count(),
        "agencies": published.values("agency").distinct().count(),
        "agency_items": busiest["n"],
        "cores": os.cpu_count() or 1,
        "database": {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor],
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    spread = published.order_by("?").values_list("agency_id", "pk")[:SPREAD]  # random, all agencies
    script = Path(tempfile.mkdtemp()) / "spread.lua"
    script.write_text(
        WRK_REPORT.read_text(encoding="utf-8")
        + "paths = {"
        + ",".join(f'"/public/{a}/items/{i}/"' for a, i in spread)
        + '}\nrequest = function() return wrk.format("GET", paths[math.random(#paths)]) end\n',
        encoding="utf-8",
    )
    lua = {"item (spread)": script}
    pages = {
        "static": "/static/core/desk.css",
        "item": f"/public/{item.agency_id}/items/{item.pk}/",
        "item (spread)": f"/public/{item.agency_id}/items/{item.pk}/",
        "catalogue": f"/public/{item.agency_id}/catalogue/",
        **{f"search {q}": f"/public/search/?q={quote(q)}" for q in SEARCHES},
    }
    port = free_port()
    serve = [sys.executable, "-m", "gongkai.cli", "serve", "--no-demo", "--quiet", "--port", str(port)]
    server = subprocess.Popen(serve, start_new_session=True)
    try:
        wait_for(port)
        for name, path in pages.items():
            get(port, path, "")
            rounds = []
            for _ in range(ROUNDS):
                calibration = calibration_ms()
                rounds.append(
                    wrk(port, path, TIMEOUT, lua.get(name, WRK_REPORT)) | {"calibration": calibration}
                )
            best = min(rounds, key=lambda r: r["p95"])
            results[name] = {
                "path": path,
                "rps": best["requests"] / best["seconds"],
                "p50": best["p50"],
                "p95": best["p95"],
                "p95_worst": max(r["p95"] for r in rounds),
                "calibration": best["calibration"],
                "single": sorted(get(port, path, "") for _ in range(9))[4],
                "load": os.getloadavg()[0],
            }
            print(name, json.dumps(results[name]), file=sys.stderr)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    write(results)


def write(r: dict[str, Any]) -> None:
    cores = r["cores"]
    lines = [
        f"## The public portal on {r['items']:,} published register items ({r['database']})",
        "",
        f"Machine: {machine()}; {cores} cores, shared by the server and wrk. Data: {r['items']:,} published "
        f"items of {r['agencies']} agencies (the busiest has {r['agency_items']:,}), {r['grams']:,} "
        f"search pieces (bigrams); {r['database']}. Load average before the run: {r['load']}.",
        "",
        "| page | target | requests/s | per core | p50 | p95 (best of 3) | p95 (worst of 3) | one client "
        "| load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, target in (
        ("static", "floor"),
        ("item", "≥ 300/s per core, p95 < 50 ms"),
        ("item (spread)", "≥ 300/s per core, p95 < 50 ms"),
        ("catalogue", "≥ 300/s per core, p95 < 50 ms"),
    ):
        m = r[name]
        where = f"{SPREAD:,} random items" if name == "item (spread)" else f"`{m['path']}`"
        lines.append(
            f"| {name} {where} | {target} | {m['rps']:.0f} | {m['rps'] / cores:.0f} "
            f"| {m['p50']:.1f} ms | {m['p95']:.1f} ms | {m['p95_worst']:.1f} ms | {m['single']:.1f} ms "
            f"| {m['load']:.1f} |"
        )
    for q in SEARCHES:
        m = r[f"search {q}"]
        lines.append(
            f"| search “{q}” | | {m['rps']:.0f} | {m['rps'] / cores:.0f} | {m['p50']:.1f} ms "
            f"| {m['p95']:.1f} ms | {m['p95_worst']:.1f} ms | {m['single']:.1f} ms | {m['load']:.1f} |"
        )
    lines += [
        "",
        "Closed loop: wrk keeps 20 keep-alive connections busy for 10 s after a 3 s warm-up, three rounds "
        "per page, each after the calibration loop; the best and the worst round's p95 are shown. "
        "“One client” is the median of nine single requests on fresh connections; “load” is the host's "
        "1-minute load average after the page's rounds (2 cores: above 2, other work shared the machine). "
        "“item” asks for one item again and again, so it is served from the page kept per server process; "
        f"“item (spread)” asks for {SPREAD:,} items picked at random over all agencies, so most requests "
        "render the page afresh (one query for the item with its agency and settings, one for its "
        "attachments). Pages are kept per agency version, which every publication, withdrawal and "
        "settings change of the agency renews (`web/portal/cache.py`).",
        "",
        "Reproduce: `apt-get install wrk`, then `.venv/bin/python benchmarks/bench_portal.py` (the first "
        "run makes the data), or on PostgreSQL "
        '`GONGKAI_PG_OPTIONS="-c shared_buffers=512MB -c max_wal_size=4GB" scripts/with-postgres '
        ".venv/bin/python benchmarks/bench_portal.py --postgres` (fills a throwaway cluster each run).",
    ]
    section = "bench:portal" if r["database"] == "SQLite" else "bench:portal-postgres"
    update_section(section, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
