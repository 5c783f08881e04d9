"""`gongkai batch` over 10,000 text reports as a whole process: `python benchmarks/bench_batch.py [N]`.

The reports are random valid tables (2,000 agencies x 5 years, so every report but the first
year's is compared with its previous year) written by gongkai.writing.text, with part 一
drawn from a few sentences so that R15 finds some copying. Each run is a fresh `gongkai batch`
under /usr/bin/time: with `taskset -c 0 ... --jobs 1` (one core), with `--jobs 2`, the re-run
that finds every file unchanged, and the official-layout workbooks (`--tables`) on a tenth of
the reports. Then one process times each step in-process on 1,000 reports, to say where the
time goes, and, where valgrind is installed, callgrind counts the instructions per report, which
unlike time do not move with a shared host's load. The aim is >= 300 reports/s per core with
every check.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine, update_section
from bench_check import fill_requests
from gongkai.formats import CellRef
from gongkai.report import Report
from gongkai.writing import text

GONGKAI = str(ROOT / ".venv" / "bin" / "gongkai")
SENTENCES = (
    "本机关深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。",
    "围绕中心工作，持续深化政务公开，不断提升政务公开质量和实效。",
    "全年通过门户网站主动公开政府信息，及时回应社会关切。",
    "进一步规范依申请公开办理流程，严格按照法定时限答复。",
    "加强政府信息公开平台建设，优化栏目设置，提升用户体验。",
    "开展政务公开业务培训，提高工作人员业务能力。",
)


def make(rng: random.Random, agency: int, year: int) -> bytes:
    report = Report.blank("2021", zero=True)
    report.agency, report.year = f"示例市第{agency}区第{agency % 37}街道办事处", year
    fill_requests(report, rng)
    report.set(CellRef("appeals", "reconsideration", "corrected"), rng.randint(0, 6))
    report.sections = {"一": "".join(rng.sample(SENTENCES, 3)) + f"本年度共收到申请{rng.randint(1, 99)}件。"}
    return text.write(report)


def generate(folder: Path, n: int) -> None:
    rng = random.Random(2025)
    for index in range(n):
        agency, year = divmod(index, 5)
        shard = folder / f"{agency // 100:03d}"
        shard.mkdir(parents=True, exist_ok=True)
        (shard / f"{agency:05d}_{2021 + year}.txt").write_bytes(make(rng, agency, 2021 + year))


def timed(command: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system, all processes) and peak RSS (MB, the largest process)."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", *command], capture_output=True, text=True, check=False
    )
    lines = result.stderr.strip().splitlines()
    wall, user, system, kilobytes = lines[-1].split()
    return (
        float(wall),
        float(user) + float(system),
        int(kilobytes) / 1024,
        lines[-2] if len(lines) > 1 else "",
    )


def steps(folder: Path, n: int) -> list[tuple[str, float]]:
    """Milliseconds per report of each step of `gongkai batch`, in one process, over the first `n` files."""
    import marshal

    from gongkai import dataset, summary
    from gongkai.batch import discover, read_one
    from gongkai.batch_cli import Sink
    from gongkai.checks import Context, Finding, check, check_year_on_year, ordered
    from gongkai.indicators import measure_all
    from gongkai.writing import xlsx

    paths = list(discover([folder]))[:n]
    clock: dict[str, float] = {}

    def step(name: str, start: float) -> float:
        now = time.perf_counter()
        clock[name] = clock.get(name, 0.0) + now - start
        return now

    sink = Sink(Path(tempfile.mkdtemp(prefix="gongkai-bench-steps-")))
    pages = summary.Summary()
    previous = None
    for path in paths:
        start = time.perf_counter()
        result = read_one(path)
        assert isinstance(result, tuple), result
        report, document = result
        start = step("read (load + extract)", start)
        own = check(report, Context(text=document.text()))
        start = step("checks on the report alone (as it is read)", start)
        stored = marshal.dumps({"report": report.to_json(), "findings": [f.to_json() for f in own]})
        data = marshal.loads(stored)
        report = Report.from_json(data["report"])
        findings = [Finding.from_json(f) for f in data["findings"]]
        start = step("cache: write, then read back when pairing years", start)
        if previous is not None:
            findings = ordered(findings + check_year_on_year(report, Context(previous=previous)))
        start = step("year-on-year checks", start)
        row = dataset.row(report, str(path), "0" * 64, findings, measure_all(report), previous)
        found = dataset.finding_rows(report, str(path), findings)
        start = step("dataset row, findings rows, indicators", start)
        sink.add(row, found)
        start = step("dataset CSV, XLSX and Parquet rows, findings.xlsx", start)
        pages.add(report, found)
        step("summary (running roll-up, indicators)", start)
        previous = report if report.year and report.year < 2025 else None
    start = time.perf_counter()
    sink.close()
    step("dataset CSV, XLSX and Parquet rows, findings.xlsx", start)
    shutil.rmtree(sink.out)
    start = time.perf_counter()
    for path in paths[: n // 10]:
        result = read_one(path)
        assert isinstance(result, tuple)
        xlsx.write(result[0])
    clock["official-layout workbook (--tables), each"] = (time.perf_counter() - start) * 10
    return [(name, seconds / len(paths) * 1000) for name, seconds in clock.items()]


def subset(reports: Path, target: Path, count: int) -> Path:
    """The first `count` reports (whole agencies, all their years) in a folder of their own."""
    for path in sorted(reports.rglob("*.txt"))[:count]:
        (target / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.parent.name / path.name)
    return target


def instructions(reports: Path, work: Path) -> float | None:
    """Machine instructions per report (valgrind's callgrind, the difference of runs over 200 and 400
    reports, so start-up cancels out): a figure that does not move with the host's load, unlike time."""
    if shutil.which("valgrind") is None:
        return None
    counts = []
    for files in (200, 400):
        folder = subset(reports, work / f"v{files}", files)
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={work / 'callgrind.out'}",
                GONGKAI,
                "batch",
                str(folder),
                "--out",
                str(work / f"vout{files}"),
                "--no-progress",
                "--no-tables",
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": "0"},  # hashing moves the count between runs otherwise
        )
        collected = re.search(r"Collected : (\d+)", result.stderr)
        if collected is None:
            return None
        counts.append(int(collected.group(1)))
    return (counts[1] - counts[0]) / 200


def main(n: int = 10_000) -> None:
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-batch-"))
    one_core = ["taskset", "-c", "0"]
    try:
        reports, out = work / "reports", work / "out"
        generate(reports, n)
        fifth, tenth = subset(reports, work / "fifth", n // 5), subset(reports, work / "tenth", n // 10)
        runs = []
        for label, folder, files, prefix, options, target in (
            ("one core (`taskset -c 0`, `--jobs 1`)", reports, n, one_core, ["-j", "1"], "one"),
            ("two cores (`--jobs 2`)", reports, n, [], ["-j", "2"], "two"),
            ("re-run, every file unchanged (one core)", reports, n, one_core, ["-j", "1"], "one"),
            (
                f"one core, first {n // 5:,} reports (flat memory)",
                fifth,
                n // 5,
                one_core,
                ["-j", "1"],
                "fifth",
            ),
            (
                f"one core with `--tables`, first {n // 10:,} reports",
                tenth,
                n // 10,
                one_core,
                ["--tables"],
                "t",
            ),
        ):
            load = os.getloadavg()[0]
            command = [*prefix, GONGKAI, "batch", str(folder), "--out", str(out / target), "--no-progress"]
            if "--tables" not in options:
                options = [*options, "--no-tables"]
            wall, cpu, peak, said = timed([*command, *options])
            runs.append((label, files, wall, cpu, peak, load, said))
        profile = steps(reports, min(n, 1000))
        per_report = instructions(reports, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        f"Machine: {machine()}; 2 cores shared with other developers' work (load average at the start "
        f"of each run in the table). {n:,} text reports (2021 format, {n // 5:,} agencies x 5 years), each "
        "checked with every rule and, from the second year on, against its previous year; outputs "
        "dataset CSV/XLSX/Parquet, findings.xlsx and summary.html. Reports per CPU-second counts user + "
        "system time of every process of the run, which a busy host inflates less than wall time.",
        "",
        "| run | reports | wall (s) | reports/s (wall) | CPU (s) | reports per CPU-second | "
        "peak RSS, largest process (MB) | load |",
        "|---|---|---|---|---|---|---|---|",
        *(
            f"| {label} | {files:,} | {wall:.1f} | {files / wall:,.0f} | {cpu:.1f} | {files / cpu:,.0f} | "
            f"{peak:.0f} | {load:.1f} |"
            for label, files, wall, cpu, peak, load, _ in runs
        ),
        "",
        f"Where the time goes, in one process over the first {min(n, 1000):,} of the same reports "
        "(ms per report):",
        "",
        "| step | ms per report |",
        "|---|---|",
        *(f"| {name} | {ms:.2f} |" for name, ms in profile),
        "",
        "Instructions per report (valgrind callgrind, runs over 200 and 400 of the same reports, one "
        "process, `--no-tables`): "
        + (f"{per_report / 1e6:.1f} million" if per_report is not None else "not measured (no valgrind)")
        + ".",
        "",
        f"Last line of each run: {'; '.join(said.split('；')[0] for *_, said in runs)}",
    ]
    command = (
        f".venv/bin/python benchmarks/bench_batch.py {n}"
        if n != 10_000
        else ".venv/bin/python benchmarks/bench_batch.py"
    )
    update_section(
        "bench:batch",
        "## The supervisor's pipeline (`gongkai batch`)\n\n"
        + "\n".join(lines)
        + f"\n\nReproduce: `{command}`",
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
